package io.kimiproxy.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.kimiproxy.testing.AnthropicGolden;
import io.kimiproxy.testing.Fixtures;
import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.StrictStreamChecker;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every recorded Anthropic answer, stream and error, through the real proxy, as a strict OpenAI
 * client sees it, compared with what the recording says; and what the ledger made of it.
 */
class AnthropicGoldenTest {
  @RegisterExtension
  static final SharedProxy PROXY = SharedProxy.with(AnthropicGolden.CONFIG);

  static Stream<Arguments> streams() {
    return Stream.of("stream-text-basic.sse", "stream-stop-sequence.sse",
            "stream-text-then-tool-use-input-json-delta.sse", "stream-thinking-signature-text.sse")
        .flatMap(f -> Stream.of(Arguments.of(f, true), Arguments.of(f, false)));
  }

  /** Streams the fixture (cut into small pieces, so events arrive split) and returns the client's response. */
  private static HttpResponse<String> relay(byte[] sse, boolean includeUsage, String session) {
    return ask(aResponse().withHeader("Content-Type", "text/event-stream; charset=utf-8").withBody(sse)
            .withChunkedDribbleDelay(25, 100),
        new JsonObject().put("stream", true).put("stream_options", new JsonObject().put("include_usage", includeUsage)),
        session);
  }

  private static HttpResponse<String> ask(ResponseDefinitionBuilder upstreamAnswer, String session) {
    return ask(upstreamAnswer, new JsonObject(), session);
  }

  /** Stubs Anthropic's answer, then sends a one-line chat with the given extra fields. */
  private static HttpResponse<String> ask(ResponseDefinitionBuilder upstreamAnswer, JsonObject fields, String session) {
    PROXY.get().upstream().stubFor(post(urlEqualTo("/v1/messages")).willReturn(upstreamAnswer));
    String body = fields.copy().put("model", AnthropicGolden.ALIAS)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi"))).encode();
    return PROXY.get().send(PROXY.get().request("/v1/chat/completions").header("Content-Type", "application/json")
        .header("X-Session-Id", session).POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private static JsonObject ledgerRow(String session) {
    return new JsonObject(PROXY.get().get("/api/sessions/" + session).body()).getJsonArray("requests").getJsonObject(0);
  }

  @ParameterizedTest(name = "{0}, include_usage={1}")
  @MethodSource("streams")
  void should_relay_each_recorded_stream_as_a_strict_openai_stream(String fixture, boolean includeUsage) {
    String session = "golden-" + UUID.randomUUID();
    AnthropicGolden.Facts facts = AnthropicGolden.ofStream(Fixtures.text("anthropic/" + fixture));
    HttpResponse<String> response = relay(Fixtures.bytes("anthropic/" + fixture), includeUsage, session);

    assertEquals(200, response.statusCode());
    StrictStreamChecker.Result result = StrictStreamChecker.check(StrictStreamChecker.dataEvents(response.body()), includeUsage);
    assertNull(result.error());
    assertEquals(facts.text(), result.content());
    assertEquals(facts.reasoning(), result.reasoning());
    assertEquals(facts.toolCalls(), result.toolCalls());
    assertEquals(List.of(AnthropicGolden.finishReason(facts.stopReason())), result.finishReasons());
    if (includeUsage) {
      assertEquals(facts.promptTokens(), result.usage().getLong("prompt_tokens"));
      assertEquals(facts.outputTokens(), result.usage().getLong("completion_tokens"));
      assertEquals(facts.cacheReadTokens(), result.usage().getJsonObject("prompt_tokens_details").getLong("cached_tokens"));
    } else {
      assertFalse(response.body().contains("\"usage\""), response.body());
    }

    JsonObject row = ledgerRow(session);
    assertEquals(200, row.getInteger("status"));
    assertEquals(facts.promptTokens(), row.getLong("prompt_tokens"));
    assertEquals(facts.outputTokens(), row.getLong("completion_tokens"));
    assertFalse(row.getBoolean("tokens_estimated"));
  }

  @Test
  void should_hand_the_signed_thinking_block_to_the_client_once() {
    String fixture = "anthropic/stream-thinking-signature-text.sse";
    AnthropicGolden.Facts facts = AnthropicGolden.ofStream(Fixtures.text(fixture));
    HttpResponse<String> response = relay(Fixtures.bytes(fixture), false, "golden-" + UUID.randomUUID());
    List<JsonObject> blocks = StrictStreamChecker.dataEvents(response.body()).stream()
        .filter(e -> e.contains("\"thinking_blocks\""))
        .map(e -> new JsonObject(e).getJsonArray("choices").getJsonObject(0).getJsonObject("delta").getJsonArray("thinking_blocks").getJsonObject(0))
        .toList();
    assertEquals(List.of(new JsonObject().put("type", "thinking").put("thinking", facts.reasoning()).put("signature", facts.signature())), blocks);
  }

  @Test
  void should_end_with_an_error_event_and_record_a_529_when_anthropic_is_overloaded_mid_stream() {
    String session = "golden-" + UUID.randomUUID();
    String basic = Fixtures.text("anthropic/stream-text-basic.sse");
    String partial = basic.substring(0, basic.indexOf("event: content_block_delta", basic.indexOf("Captain")));
    byte[] sse = (partial + Fixtures.text("anthropic/stream-error-event-overloaded.sse")).getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> response = relay(sse, true, session);

    assertEquals(200, response.statusCode());
    StrictStreamChecker.Result result = StrictStreamChecker.check(StrictStreamChecker.dataEvents(response.body()), true);
    assertEquals("- Captain", result.content());
    assertEquals("overloaded_error", result.error().getString("type"));
    assertEquals("Overloaded", result.error().getString("message"));
    JsonObject row = ledgerRow(session);
    assertEquals(529, row.getInteger("status"));
    assertEquals("overloaded_error", row.getString("error_type"));
  }

  @Test
  void should_answer_a_stream_that_is_only_an_error_event_with_that_error() {
    // Nothing reached the client before the error, so it gets the error itself (after any retries), not a 200.
    String session = "golden-" + UUID.randomUUID();
    HttpResponse<String> response = relay(Fixtures.bytes("anthropic/stream-error-event-overloaded.sse"), false, session);
    assertEquals(529, response.statusCode(), response.body());
    assertEquals("overloaded_error", new JsonObject(response.body()).getJsonObject("error").getString("type"));
    assertEquals(529, ledgerRow(session).getInteger("status"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"nonstream-text-and-two-tool-use.json", "nonstream-thinking-signature-text.json",
      "nonstream-cache-read-usage.json"})
  void should_answer_each_recorded_message_as_a_chat_completion(String fixture) {
    String session = "golden-" + UUID.randomUUID();
    JsonObject recorded = new JsonObject(Fixtures.text("anthropic/" + fixture));
    AnthropicGolden.Facts facts = AnthropicGolden.ofMessage(recorded);
    HttpResponse<String> response = ask(aResponse().withHeader("Content-Type", "application/json")
        .withBody(Fixtures.bytes("anthropic/" + fixture)), session);

    assertEquals(200, response.statusCode());
    JsonObject completion = new JsonObject(response.body());
    assertEquals("chat.completion", completion.getString("object"));
    assertEquals(recorded.getString("id"), completion.getString("id"));
    assertEquals(recorded.getString("model"), completion.getString("model"));
    assertTrue(completion.getValue("created") instanceof Number);
    JsonObject choice = completion.getJsonArray("choices").getJsonObject(0);
    JsonObject message = choice.getJsonObject("message");
    assertEquals("assistant", message.getString("role"));
    assertEquals(facts.text(), message.getString("content"));
    assertEquals(facts.reasoning().isEmpty() ? null : facts.reasoning(), message.getString("reasoning_content"));
    assertEquals(facts.toolCalls(), AnthropicGolden.toolCalls(message));
    assertEquals(AnthropicGolden.finishReason(facts.stopReason()), choice.getString("finish_reason"));
    JsonObject usage = completion.getJsonObject("usage");
    assertEquals(facts.promptTokens(), usage.getLong("prompt_tokens"));
    assertEquals(facts.outputTokens(), usage.getLong("completion_tokens"));
    assertEquals(facts.promptTokens() + facts.outputTokens(), usage.getLong("total_tokens"));
    assertEquals(facts.cacheReadTokens(), usage.getJsonObject("prompt_tokens_details").getLong("cached_tokens"));

    JsonObject row = ledgerRow(session);
    assertEquals(facts.promptTokens(), row.getLong("prompt_tokens"));
    assertEquals(facts.outputTokens(), row.getLong("completion_tokens"));
    assertEquals(facts.cacheReadTokens(), row.getLong("cached_tokens"));
    assertFalse(row.getBoolean("tokens_estimated"));
    double expectedCost = ((facts.promptTokens() - facts.cacheReadTokens()) * 3.0 + facts.cacheReadTokens() * 0.3
        + facts.outputTokens() * 15.0) / 1e6;
    assertEquals(expectedCost, row.getDouble("cost_usd"), 1e-12);
  }

  @Test
  void should_price_cache_reads_at_the_cached_rate_in_the_session_totals() {
    String session = "golden-" + UUID.randomUUID();
    ask(aResponse().withHeader("Content-Type", "application/json")
        .withBody(Fixtures.bytes("anthropic/nonstream-cache-read-usage.json")), session);
    JsonObject summary = new JsonObject(PROXY.get().get("/api/sessions").body()).getJsonArray("data").stream()
        .map(JsonObject.class::cast).filter(s -> session.equals(s.getString("id"))).findFirst().orElseThrow();
    assertEquals(4L + 1163L, summary.getLong("prompt_tokens"));
    assertEquals(202L, summary.getLong("completion_tokens"));
    assertEquals((4 * 3.0 + 1163 * 0.3 + 202 * 15.0) / 1e6, summary.getDouble("cost_usd"), 1e-12);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "error-401-authentication-error.json, 401, authentication_error, invalid x-api-key,",
      "error-404-not-found-model.json,      404, not_found_error,      model: this-model-does-not-exist-12345,",
      "error-429-rate-limit.json,           429, rate_limit_error,     This request would exceed the rate limit, 17",
      "error-529-overloaded.json,           529, overloaded_error,     Overloaded, 5"})
  void should_relay_each_recorded_error_with_its_status_in_openai_shape(String fixture, int status, String type,
                                                                         String message, String retryAfter) {
    String session = "golden-" + UUID.randomUUID();
    ResponseDefinitionBuilder answer = aResponse().withStatus(status).withHeader("Content-Type", "application/json")
        .withBody(Fixtures.bytes("anthropic/" + fixture));
    if (retryAfter != null) answer.withHeader("Retry-After", retryAfter);
    HttpResponse<String> response = ask(answer, session);

    assertEquals(status, response.statusCode());
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    assertEquals(type, error.getString("type"));
    assertTrue(error.getString("message").startsWith(message), error.getString("message"));
    assertTrue(error.containsKey("param") && error.containsKey("code"), "OpenAI's error shape: " + error);
    assertEquals(retryAfter, response.headers().firstValue("Retry-After").orElse(null));
    JsonObject row = ledgerRow(session);
    assertEquals(status, row.getInteger("status"));
    assertEquals(type, row.getString("error_type"));
  }
}
