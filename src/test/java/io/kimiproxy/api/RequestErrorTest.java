package io.kimiproxy.api;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static io.kimiproxy.testing.OpenAiErrors.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.Ledger;
import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.Stubs;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the proxy refuses on its own, before (or instead of) calling a provider. */
class RequestErrorTest {
  @RegisterExtension
  static final SharedProxy PROXY = SharedProxy.with("""
      [providers.test]
      base_url = "{{UPSTREAM}}/v1"
      api_key = "${TEST_KEY}"

      [providers.nokey]
      base_url = "{{UPSTREAM}}/nokey/v1"
      api_key = "${NOKEY_API_KEY}"

      [models."test/model"]
      provider = "test"
      model = "upstream-model"

      [models."nokey/model"]
      provider = "nokey"
      model = "whatever"
      """, "max_body_mb = 1");

  @BeforeEach
  void answer_with_a_recorded_reply(TestProxy proxy) {
    proxy.upstream().stubFor(Stubs.chat().willReturn(Stubs.json(200, "openai/chat-nonstream-parallel-tool-calls.json")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"model\":\"test/model\",", "not json at all", "[1,2]", "null", "", "   "})
  void should_reject_a_body_that_is_not_a_json_object_with_400(String body, TestProxy proxy) {
    assertError(proxy.post("/v1/chat/completions", body), 400, "invalid_request_error");
    assertNoUpstreamCall(proxy);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"model\":\"test/model\"}", "{\"model\":\"test/model\",\"messages\":[]}",
      "{\"model\":\"test/model\",\"messages\":\"hi\"}", "{\"model\":\"test/model\",\"messages\":[{\"content\":\"no role\"}]}"})
  void should_reject_missing_or_empty_messages_with_400(String body, TestProxy proxy) {
    JsonObject error = assertError(proxy.post("/v1/chat/completions", body), 400, "invalid_request_error");
    assertEquals("messages", error.getString("param"));
    assertNoUpstreamCall(proxy);
  }

  @Test
  void should_reject_a_missing_model_with_400(TestProxy proxy) {
    JsonObject error = assertError(proxy.post("/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
        400, "invalid_request_error");
    assertEquals("model", error.getString("param"));
  }

  @Test
  void should_reject_a_body_over_max_body_mb_with_413(TestProxy proxy) {
    // 1.5 MB of valid chat JSON against max_body_mb = 1.
    String padding = "x".repeat(1_536 * 1024);
    String body = "{\"model\":\"test/model\",\"messages\":[{\"role\":\"user\",\"content\":\"" + padding + "\"}]}";
    JsonObject error = assertError(proxy.post("/v1/chat/completions", body), 413, "invalid_request_error");
    assertTrue(error.getString("message").contains("max_body_mb"), error.getString("message"));
    assertNoUpstreamCall(proxy);
  }

  @Test
  void should_answer_404_model_not_found_listing_the_aliases(TestProxy proxy) {
    HttpResponse<String> response = proxy.post("/v1/chat/completions",
        "{\"model\":\"gpt-unknown\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    JsonObject error = assertError(response, 404, "invalid_request_error");
    assertEquals("model_not_found", error.getString("code"));
    assertTrue(error.getString("message").contains("test/model") && error.getString("message").contains("nokey/model"),
        error.getString("message"));
    assertNoUpstreamCall(proxy);
    JsonObject row = Ledger.rowOf(proxy, response);
    assertEquals(404, row.getInteger("status"));
    assertEquals("gpt-unknown", row.getString("model"));
    assertEquals("model_not_found", row.getString("error_code"));
  }

  @Test
  void should_not_treat_an_unknown_prefix_as_a_provider(TestProxy proxy) {
    JsonObject error = assertError(proxy.post("/v1/chat/completions",
        "{\"model\":\"elsewhere/upstream-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 404, "invalid_request_error");
    assertEquals("model_not_found", error.getString("code"));
  }

  @Test
  void should_route_provider_slash_model_to_that_provider_with_the_rest_as_model_id(TestProxy proxy) {
    HttpResponse<String> response = proxy.post("/v1/chat/completions",
        "{\"model\":\"test/org/some-model:free\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertEquals(200, response.statusCode(), response.body());
    assertEquals("org/some-model:free", Stubs.received(proxy.upstream()).get(0).getString("model"));
    JsonObject row = Ledger.rowOf(proxy, response);
    assertEquals("test/org/some-model:free", row.getString("model"));
    assertEquals("test", row.getString("provider"));
    assertEquals("org/some-model:free", row.getString("upstream_model"));
  }

  @Test
  void should_answer_401_naming_the_env_variable_when_the_provider_has_no_key(TestProxy proxy) {
    HttpResponse<String> response = proxy.post("/v1/chat/completions",
        "{\"model\":\"nokey/model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    JsonObject error = assertError(response, 401, "authentication_error");
    assertTrue(error.getString("message").contains("NOKEY_API_KEY"), error.getString("message"));
    assertNoUpstreamCall(proxy);
  }

  @Test
  void should_start_and_show_a_provider_without_key_as_not_configured(TestProxy proxy) {
    JsonObject health = new JsonObject(proxy.get("/health").body());
    assertEquals("configured", health.getJsonObject("providers").getString("test"));
    assertEquals("not configured", health.getJsonObject("providers").getString("nokey"));
    JsonObject models = new JsonObject(proxy.get("/v1/models").body());
    assertEquals("list", models.getString("object"));
    JsonObject nokey = models.getJsonArray("data").stream().map(JsonObject.class::cast)
        .filter(m -> m.getString("id").equals("nokey/model")).findFirst().orElseThrow();
    assertFalse(nokey.getBoolean("configured"));
    assertEquals("model", nokey.getString("object"));
  }

  @Test
  void should_answer_unknown_routes_in_the_openai_error_shape(TestProxy proxy) {
    assertError(proxy.get("/v1/nothing-here"), 404, "invalid_request_error");
  }

  private static void assertNoUpstreamCall(TestProxy proxy) {
    proxy.upstream().verify(exactly(0), anyRequestedFor(anyUrl()));
  }
}
