package io.kimiproxy.team;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.kimiproxy.testing.Stubs;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keys per team member ([keys.NAME]): each with its models, budget and limits, and named in the ledger. */
class NamedKeysTest {
  private static final String ALICE = "alice-secret-key-0001";
  private static final String BOB = "bob-secret-key-0002";
  private static final String SHARED = "shared-secret-key-0003";
  private static final String CAROL = "carol-secret-key-0004";
  private static final String CONFIG = """
      [server]
      host = "127.0.0.1"
      port = 0
      api_keys = ["${SHARED_KEY}"]

      [storage]
      path = "test.db"

      [providers.test]
      base_url = "{{UPSTREAM}}/v1"
      api_key = "${TEST_KEY}"
      timeout_s = 10
      max_retries = 0

      [models."test/model"]
      provider = "test"
      model = "upstream-model"
      max_context = 2000
      input_price = 1.0
      output_price = 1.0

      [models."test/other"]
      provider = "test"
      model = "upstream-model"

      [rate_limits]
      max_wait_ms = 0

      [keys.alice]
      key_env = "ALICE_KEY"
      budget_usd_daily = 0.003
      models = ["test/model"]

      [keys.bob]
      key_env = "BOB_KEY"

      [keys.carol]
      key_env = "CAROL_KEY"
      rpm = 1
      """;

  private static WireMockServer upstream;
  private static TestProxy proxy;

  @BeforeAll
  static void start() throws Exception {
    upstream = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    upstream.start();
    upstream.stubFor(post(urlEqualTo(Stubs.CHAT_PATH)).willReturn(Stubs.okWithUsage(1000, 1000)));
    proxy = TestProxy.startWithConfig(Files.createTempDirectory("named-keys"), CONFIG, upstream,
        Map.of("ALICE_KEY", ALICE, "BOB_KEY", BOB, "CAROL_KEY", CAROL, "SHARED_KEY", SHARED));
  }

  @AfterAll
  static void stop() {
    if (proxy != null) proxy.close();
    upstream.stop();
  }

  @Test
  void should_keep_a_member_to_the_models_of_their_key_and_name_them_in_the_ledger() {
    HttpResponse<String> refused = chat(ALICE, "test/other", TestProxy.newSession());
    assertEquals(403, refused.statusCode());
    assertEquals("model_not_allowed", error(refused));
    String session = TestProxy.newSession();
    assertEquals(200, chat(SHARED, "test/other", session).statusCode());
    JsonObject row = new JsonObject(get("/api/sessions/" + session).body()).getJsonArray("requests").getJsonObject(0);
    assertEquals("key-1", row.getString("client_key"), "server.api_keys still count from key-1");
    String own = TestProxy.newSession();
    assertEquals(200, chat(BOB, "test/other", own).statusCode());
    assertEquals("bob", new JsonObject(get("/api/sessions/" + own).body()).getJsonArray("requests").getJsonObject(0)
        .getString("client_key"));
  }

  @Test
  void should_stop_a_member_at_their_daily_budget_and_not_the_others() {
    assertEquals(200, chat(ALICE, "test/model", TestProxy.newSession()).statusCode());
    assertEquals(200, chat(ALICE, "test/model", TestProxy.newSession()).statusCode());
    HttpResponse<String> spent = chat(ALICE, "test/model", TestProxy.newSession());
    assertEquals(429, spent.statusCode());
    assertEquals("insufficient_quota", error(spent));
    assertEquals(200, chat(SHARED, "test/model", TestProxy.newSession()).statusCode());
  }

  @Test
  void should_limit_a_member_to_their_own_rate() {
    assertEquals(200, chat(CAROL, "test/other", TestProxy.newSession()).statusCode());
    HttpResponse<String> second = chat(CAROL, "test/other", TestProxy.newSession());
    assertEquals(429, second.statusCode(), "carol's rpm = 1 lets one request of the minute through");
    assertEquals("rate_limit_exceeded", error(second));
    assertEquals(200, chat(BOB, "test/other", TestProxy.newSession()).statusCode());
  }

  private static HttpResponse<String> chat(String key, String model, String session) {
    String body = "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
    return proxy.send(proxy.request("/v1/chat/completions").header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + key).header("X-Session-Id", session)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private static HttpResponse<String> get(String path) {
    return proxy.send(proxy.request(path).header("Authorization", "Bearer " + SHARED).GET().build());
  }

  private static String error(HttpResponse<String> response) {
    return new JsonObject(response.body()).getJsonObject("error").getString("code");
  }
}
