package io.kimiproxy.api.messages;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.Fixtures;
import io.kimiproxy.testing.Poll;
import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.StrictAnthropicStreamChecker;
import io.kimiproxy.testing.Stubs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Messages endpoints' own behaviour on a proxy with client keys: the key in x-api-key or as a
 * bearer token, refusals in Anthropic's shape, Claude's model names mapped to aliases, token counts
 * answered locally, the models list in Anthropic's shape, and a cached answer replayed as
 * Anthropic's events.
 */
class MessagesApiTest {
  private static final String KEY = "sk-kimi-client-" + "0123456789abcdef";

  @RegisterExtension
  static final SharedProxy PROXY = SharedProxy.with("""
      [providers.test]
      base_url = "{{UPSTREAM}}/v1"
      api_key = "${TEST_KEY}"
      timeout_s = 10
      max_retries = 0

      [models."test/model"]
      provider = "test"
      model = "upstream-model"
      max_context = 100000

      [models."test/small"]
      provider = "test"
      model = "upstream-small"
      max_context = 100000

      [inbound.anthropic]
      models = { "claude-haiku-*" = "test/small", "claude-sonnet-4-5" = "test/small", "claude-*" = "test/model" }

      [cache]
      enabled = true
      """, "api_keys = [\"" + KEY + "\"]");

  private static HttpRequest.Builder request(String path, String body) {
    return PROXY.get().request(path).header("Content-Type", "application/json").header("anthropic-version", "2023-06-01")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) {
    return PROXY.get().send(request.build());
  }

  private static String body(String model, boolean stream, String question) {
    return new JsonObject().put("model", model).put("max_tokens", 100).put("stream", stream).put("temperature", 0)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", question))).encode();
  }

  private static JsonObject error(HttpResponse<String> response) {
    JsonObject body = new JsonObject(response.body());
    assertEquals("error", body.getString("type"), response.body());
    return body.getJsonObject("error");
  }

  @Test
  void should_take_the_key_from_x_api_key_or_a_bearer_token_and_refuse_in_anthropics_shape() {
    PROXY.get().upstream().stubFor(Stubs.chat().willReturn(Stubs.okWithUsage(10, 2)));
    String body = body("test/model", false, "Hi");
    assertEquals(200, send(request("/v1/messages", body).header("x-api-key", KEY)).statusCode());
    assertEquals(200, send(request("/v1/messages", body).header("Authorization", "Bearer " + KEY)).statusCode());

    HttpResponse<String> refused = send(request("/v1/messages?beta=true", body).header("x-api-key", "sk-wrong"));
    assertEquals(401, refused.statusCode());
    assertEquals("authentication_error", error(refused).getString("type"));
    HttpResponse<String> counted = send(request("/v1/messages/count_tokens", body));
    assertEquals(401, counted.statusCode());
    assertEquals("authentication_error", error(counted).getString("type"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "claude-haiku-4-5-20251001, upstream-small",
      "claude-sonnet-4-5,         upstream-small",
      "claude-opus-4-1,           upstream-model",
      "test/small,                upstream-small"})
  void should_route_claude_names_by_exact_name_then_glob_and_aliases_as_they_are(String asked, String upstream) {
    PROXY.get().upstream().stubFor(Stubs.chat().willReturn(Stubs.okWithUsage(10, 2)));
    HttpResponse<String> response = send(request("/v1/messages", body(asked, false, "Hi " + UUID.randomUUID()))
        .header("x-api-key", KEY));
    assertEquals(200, response.statusCode(), response.body());
    assertEquals(asked, new JsonObject(response.body()).getString("model"));
    List<String> sent = PROXY.get().upstream().findAll(postRequestedFor(urlEqualTo(Stubs.CHAT_PATH))).stream()
        .map(r -> new JsonObject(r.getBodyAsString()).getString("model")).toList();
    assertEquals(upstream, sent.get(sent.size() - 1));
  }

  @Test
  void should_refuse_an_unknown_model_and_a_malformed_body_in_anthropics_shape() {
    HttpResponse<String> unknown = send(request("/v1/messages", body("gpt-4o", false, "Hi")).header("x-api-key", KEY));
    assertEquals(404, unknown.statusCode());
    assertEquals("not_found_error", error(unknown).getString("type"));
    assertTrue(error(unknown).getString("message").contains("test/model"), unknown.body());

    HttpResponse<String> malformed = send(request("/v1/messages", "{\"model\":\"test/model\",\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}")
        .header("x-api-key", KEY));
    assertEquals(400, malformed.statusCode());
    assertEquals("invalid_request_error", error(malformed).getString("type"));
    assertTrue(error(malformed).getString("message").startsWith("messages[0].role"), malformed.body());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"503, overloaded_error", "529, overloaded_error", "500, api_error", "429, rate_limit_error"})
  void should_answer_a_provider_failure_with_its_status_and_anthropics_type(int status, String type) {
    PROXY.get().upstream().stubFor(Stubs.chat().willReturn(aResponse().withStatus(status)
        .withHeader("Content-Type", "application/json").withBody("{\"error\":{\"message\":\"busy\",\"type\":\"server_error\"}}")));
    HttpResponse<String> response = send(request("/v1/messages", body("test/model", true, "Hi")).header("x-api-key", KEY));
    assertEquals(status, response.statusCode(), response.body());
    assertEquals(type, error(response).getString("type"));
  }

  @Test
  void should_count_tokens_locally_for_any_model_name() {
    String turn = Fixtures.text("clients/claude-code-2.1.328-messages-turn2.request.json");
    HttpResponse<String> counted = send(request("/v1/messages/count_tokens", turn).header("x-api-key", KEY));
    assertEquals(200, counted.statusCode(), counted.body());
    long tokens = new JsonObject(counted.body()).getLong("input_tokens");
    assertTrue(tokens > 5_000 && tokens < 30_000, counted.body());
    assertEquals(0, PROXY.get().upstream().findAll(postRequestedFor(urlEqualTo(Stubs.CHAT_PATH))).size());

    String unmapped = body("some-model-nobody-configured", false, "Hi");
    HttpResponse<String> anyName = send(request("/v1/messages/count_tokens", unmapped).header("x-api-key", KEY));
    assertEquals(200, anyName.statusCode(), anyName.body());
    assertTrue(new JsonObject(anyName.body()).getLong("input_tokens") > 0);
  }

  @Test
  void should_list_models_in_anthropics_shape_when_asked_with_anthropic_version() {
    HttpResponse<String> anthropic = PROXY.get().send(PROXY.get().request("/v1/models")
        .header("anthropic-version", "2023-06-01").header("x-api-key", KEY).GET().build());
    assertEquals(200, anthropic.statusCode(), anthropic.body());
    JsonObject list = new JsonObject(anthropic.body());
    assertEquals(List.of("claude-sonnet-4-5", "test/model", "test/small"),
        list.getJsonArray("data").stream().map(m -> ((JsonObject) m).getString("id")).toList());
    JsonObject first = list.getJsonArray("data").getJsonObject(0);
    assertEquals("model", first.getString("type"));
    assertTrue(first.getString("created_at").endsWith("Z"));
    assertEquals(false, list.getBoolean("has_more"));
    assertEquals("claude-sonnet-4-5", list.getString("first_id"));

    HttpResponse<String> openAi = PROXY.get().send(PROXY.get().request("/v1/models")
        .header("Authorization", "Bearer " + KEY).GET().build());
    assertEquals("list", new JsonObject(openAi.body()).getString("object"));
  }

  @Test
  void should_replay_a_cached_answer_as_anthropics_events() {
    PROXY.get().upstream().stubFor(post(urlEqualTo(Stubs.CHAT_PATH)).willReturn(Stubs.sse("openai/chat-stream-text-include-usage.sse")));
    String body = body("test/model", true, "What is " + UUID.randomUUID() + "?");
    HttpResponse<String> first = send(request("/v1/messages", body).header("x-api-key", KEY));
    assertEquals("miss", first.headers().firstValue("X-Kimi-Cache-Status").orElse(null));
    StrictAnthropicStreamChecker.Result original = StrictAnthropicStreamChecker.check(first.body());

    HttpResponse<String> second = Poll.until(Duration.ofSeconds(5), () -> send(request("/v1/messages", body).header("x-api-key", KEY)),
        r -> "hit".equals(r.headers().firstValue("X-Kimi-Cache-Status").orElse(null)), "a cache hit");
    StrictAnthropicStreamChecker.Result replayed = StrictAnthropicStreamChecker.check(second.body());
    assertEquals(original.text(), replayed.text());
    assertEquals(original.finalUsage().getLong("output_tokens"), replayed.finalUsage().getLong("output_tokens"));
  }

  @Test
  void should_give_the_client_tool_ids_an_anthropic_provider_would_take_back() {
    String call = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
        + "\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"functions.Write:0\",\"type\":\"function\","
        + "\"function\":{\"name\":\"Write\",\"arguments\":\"{}\"}}]},\"finish_reason\":\"tool_calls\"}]}";
    PROXY.get().upstream().stubFor(Stubs.chat().willReturn(aResponse().withHeader("Content-Type", "text/event-stream")
        .withBody("data: " + call + "\n\ndata: [DONE]\n\n")));
    HttpResponse<String> response = send(request("/v1/messages", body("test/model", true, "Write it " + UUID.randomUUID()))
        .header("x-api-key", KEY));
    StrictAnthropicStreamChecker.Result result = StrictAnthropicStreamChecker.check(response.body());
    assertEquals("functions_Write_0", result.toolCalls().get(0).getString("id"));
    assertEquals("tool_use", result.stopReason());
  }

  @Test
  void should_refuse_a_wrong_method_and_a_body_over_the_limit_in_anthropics_shape() {
    HttpResponse<String> get = PROXY.get().send(PROXY.get().request("/v1/messages").header("x-api-key", KEY).GET().build());
    assertEquals(405, get.statusCode());
    assertEquals("invalid_request_error", error(get).getString("type"));
    String huge = body("test/model", false, "x".repeat(33 * 1024 * 1024));
    HttpResponse<String> tooLarge = send(request("/v1/messages", huge).header("x-api-key", KEY));
    assertEquals(413, tooLarge.statusCode());
    assertEquals("request_too_large", error(tooLarge).getString("type"));
  }
}
