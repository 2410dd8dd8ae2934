package io.kimiproxy.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.kimiproxy.testing.TestProxy.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kimiproxy.testing.Fixtures;
import io.kimiproxy.testing.LiveFeed;
import io.kimiproxy.testing.Poll;
import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client monitor through the real proxy: clients told apart by User-Agent, X-Title and client key. */
class ClientMonitorApiTest {
  /** The usage of the recorded answer (11 prompt, 228 completion tokens) at TestProxy's prices. */
  private static final double COST = (11 * 2.0 + 228 * 4.0) / 1e6;

  @RegisterExtension
  static final SharedProxy PROXY = SharedProxy.with(TestProxy.ONE_PROVIDER + "\n[clients]\nidle_after_s = 0.5\n");

  private static void answer(TestProxy proxy, int delayMs) {
    proxy.upstream().stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse()
        .withHeader("Content-Type", "application/json").withFixedDelay(delayMs)
        .withBody(Fixtures.bytes("openai/chat-nonstream-gpt5-reasoning-tokens.json"))));
  }

  private static HttpRequest.Builder chat(TestProxy proxy, String userAgent, String task) {
    String body = "{\"model\":\"test/model\",\"messages\":[{\"role\":\"user\",\"content\":\"first\"},"
        + "{\"role\":\"assistant\",\"content\":\"ok\"},{\"role\":\"user\",\"content\":\"" + task + "\"}]}";
    return proxy.request("/v1/chat/completions").header("Content-Type", "application/json")
        .header("User-Agent", userAgent).POST(HttpRequest.BodyPublishers.ofString(body));
  }

  private static JsonObject client(String body, String kind) {
    JsonArray data = new JsonObject(body).getJsonArray("data");
    for (int i = 0; i < data.size(); i++) {
      if (data.getJsonObject(i).getString("client").equals(kind)) return data.getJsonObject(i);
    }
    return null;
  }

  @Test
  void should_list_each_kind_of_client_with_its_outcomes_tokens_cost_and_task(TestProxy proxy) {
    answer(proxy, 0);
    assertEquals(200, proxy.send(chat(proxy, "OpenAI/JS 4.96.0", "Refactor the importer").header("X-Title", "Cline").build()).statusCode());
    assertEquals(200, proxy.send(chat(proxy, "OpenAI/JS 4.96.0", "Now add tests").header("X-Title", "Cline").build()).statusCode());
    assertEquals(200, proxy.send(chat(proxy, "OpenAI/Python 1.99.0", "Summarize the log").build()).statusCode());
    proxy.upstream().stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(500)
        .withHeader("Content-Type", "application/json").withBody(Fixtures.bytes("openai/error-500-server-error.json"))));
    assertEquals(500, proxy.send(chat(proxy, "Continue/1.2.10 (vscode)", "Explain this error").build()).statusCode());

    String body = proxy.get("/api/clients").body();

    assertEquals("list", new JsonObject(body).getString("object"));
    JsonObject cline = client(body, "cline");
    assertEquals(2, cline.getLong("completed"));
    assertEquals(0, cline.getLong("failed"));
    assertEquals(1.0, cline.getDouble("success_rate"));
    assertEquals(22, cline.getLong("prompt_tokens"));
    assertEquals(456, cline.getLong("completion_tokens"));
    assertEquals(2 * COST, cline.getDouble("cost_usd"), 1e-12);
    assertEquals("Now add tests", cline.getString("current_task"));
    assertEquals(0, cline.getLong("in_flight"));
    assertNull(cline.getValue("key"), "no client keys configured");
    JsonObject sdk = client(body, "openai-sdk");
    assertEquals(1, sdk.getLong("completed"));
    assertEquals("Summarize the log", sdk.getString("current_task"));
    JsonObject continueClient = client(body, "continue");
    assertEquals(0, continueClient.getLong("completed"));
    assertEquals(1, continueClient.getLong("failed"));
    assertEquals(0.0, continueClient.getDouble("success_rate"));
    assertEquals("Explain this error", continueClient.getString("current_task"));
  }

  @Test
  void should_be_active_while_a_request_is_in_flight_and_idle_once_the_threshold_passed(TestProxy proxy) {
    answer(proxy, 1500);
    CompletableFuture<HttpResponse<String>> pending = proxy.http().sendAsync(
        chat(proxy, "curl/8.5.0", "Wait for me").build(), HttpResponse.BodyHandlers.ofString());

    JsonObject during = Poll.until(Duration.ofSeconds(10), () -> client(proxy.get("/api/clients").body(), "other"),
        c -> c != null && c.getLong("in_flight") == 1, "the request in flight");
    assertEquals("active", during.getString("status"));
    assertEquals(200, pending.join().statusCode());
    JsonObject after = Poll.until(Duration.ofSeconds(10), () -> client(proxy.get("/api/clients").body(), "other"),
        c -> c.getString("status").equals("idle"), "the client to turn idle");

    assertEquals(0, after.getLong("in_flight"));
    assertEquals(1, after.getLong("completed"));
  }

  @Test
  void should_send_the_client_to_the_dashboard_after_each_request() {
    try (TestProxy proxy = TestProxy.start(); LiveFeed feed = LiveFeed.connect(proxy, "")) {
      answer(proxy, 0);
      assertEquals(200, proxy.send(chat(proxy, "OpenAI/Python 1.99.0", "Watch the feed").build()).statusCode());

      JsonObject client = feed.next(m -> "client_updated".equals(m.getString("type"))
          && "Watch the feed".equals(m.getJsonObject("data").getString("current_task")), "client_updated").getJsonObject("data");

      assertEquals("openai-sdk", client.getString("client"));
      assertEquals(0, client.getLong("in_flight"));
      assertEquals(client, client(proxy.get("/api/clients").body(), "openai-sdk"));
    }
  }

  @Test
  void should_name_a_client_by_its_key_number_and_never_show_the_key() {
    String keys = "api_keys = [\"first-client-key-aaaaaaaa\", \"second-client-key-bbbbbbbb\"]";
    try (TestProxy proxy = TestProxy.start(TestProxy.ONE_PROVIDER, keys)) {
      answer(proxy, 0);
      HttpResponse<String> answered = proxy.send(chat(proxy, "OpenAI/Python 1.99.0", "Use key second-client-key-bbbbbbbb")
          .header("Authorization", "Bearer second-client-key-bbbbbbbb").build());
      assertEquals(200, answered.statusCode());

      String body = proxy.send(proxy.request("/api/clients").header("Authorization", "Bearer first-client-key-aaaaaaaa")
          .GET().build()).body();

      JsonObject sdk = client(body, "openai-sdk");
      assertEquals("key-2", sdk.getString("key"));
      assertEquals("Use key [redacted]", sdk.getString("current_task"));
      assertFalse(body.contains("client-key"), body);
    }
  }

  @Test
  void should_start_a_new_process_from_the_totals_in_the_ledger() {
    try (TestProxy proxy = TestProxy.start()) {
      answer(proxy, 0);
      assertEquals(200, proxy.send(chat(proxy, "Cline/3.38", "Before the restart").build()).statusCode());
      // The row is recorded just after the answer is sent: wait until the ledger shows it.
      Poll.until(Duration.ofSeconds(10), () -> proxy.get("/api/sessions").body(), body -> body.contains("\"cline\""),
          "the Cline request in the ledger");

      ProxyServer restarted = await(ProxyServer.start(proxy.vertx(), proxy.config()));
      try {
        String body = proxy.send(proxy.request("/api/clients").uri(
            java.net.URI.create("http://127.0.0.1:" + restarted.port() + "/api/clients")).GET().build()).body();

        JsonObject cline = client(body, "cline");
        assertEquals(1, cline.getLong("completed"));
        assertEquals(11, cline.getLong("prompt_tokens"));
        assertEquals(COST, cline.getDouble("cost_usd"), 1e-12);
        assertNull(cline.getValue("current_task"), "task texts are not kept across restarts");
      } finally {
        await(restarted.close());
      }
    }
  }
}
