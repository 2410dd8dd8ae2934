package io.kimiproxy.api.messages;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.kimiproxy.testing.AnthropicGolden;
import io.kimiproxy.testing.Fixtures;
import io.kimiproxy.testing.Ledger;
import io.kimiproxy.testing.MessagesClient;
import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.StrictAnthropicStreamChecker;
import io.kimiproxy.testing.StrictAnthropicStreamChecker.Frame;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every recorded Anthropic answer, sent through the real proxy to an Anthropic Messages client
 * (the recorded request's own body) by an Anthropic-format provider: the client gets the provider's
 * events and bodies as they were recorded, the provider gets the client's body spliced, and the
 * ledger holds the recorded usage.
 */
class MessagesGoldenTest {
  @RegisterExtension
  static final SharedProxy PROXY = SharedProxy.with(AnthropicGolden.MESSAGES_CONFIG);

  private static final String UPSTREAM_MODEL = "claude-sonnet-4-5";

  private static HttpResponse<String> ask(String fixture, ResponseDefinitionBuilder answer, String session) {
    PROXY.get().upstream().stubFor(post(urlEqualTo("/v1/messages")).willReturn(answer));
    return MessagesClient.post(PROXY.get(), Fixtures.text("anthropic/" + fixture + ".request.json"), session);
  }

  private static String upstreamBody() {
    return PROXY.get().upstream().findAll(postRequestedFor(urlEqualTo("/v1/messages"))).get(0).getBodyAsString();
  }

  @ParameterizedTest
  @ValueSource(strings = {"stream-text-basic", "stream-stop-sequence", "stream-text-then-tool-use-input-json-delta",
      "stream-thinking-signature-text"})
  void should_relay_each_recorded_stream_as_the_providers_own_events(String fixture) {
    String session = TestProxy.newSession();
    String recorded = Fixtures.text("anthropic/" + fixture + ".sse");
    HttpResponse<String> response = ask(fixture, aResponse().withHeader("Content-Type", "text/event-stream")
        .withBody(recorded.getBytes(StandardCharsets.UTF_8)).withChunkedDribbleDelay(25, 100), session);

    assertEquals(200, response.statusCode(), response.body());
    List<Frame> frames = StrictAnthropicStreamChecker.frames(response.body());
    assertEquals(StrictAnthropicStreamChecker.frames(recorded), frames);
    StrictAnthropicStreamChecker.Result result = StrictAnthropicStreamChecker.check(frames);
    AnthropicGolden.Facts facts = AnthropicGolden.ofStream(recorded);
    assertEquals(facts.text(), result.text());
    assertEquals(facts.stopReason(), result.stopReason());
    MessagesClient.assertSpliced(Fixtures.text("anthropic/" + fixture + ".request.json"), upstreamBody(), UPSTREAM_MODEL);

    JsonObject row = Ledger.rows(PROXY.get(), session).get(0);
    assertEquals("messages", row.getString("api"));
    assertEquals("claude-code", row.getString("client"));
    assertEquals(facts.promptTokens(), row.getLong("prompt_tokens"));
    assertEquals(facts.outputTokens(), row.getLong("completion_tokens"));
    assertFalse(row.getBoolean("tokens_estimated"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"nonstream-text-and-two-tool-use", "nonstream-thinking-signature-text",
      "nonstream-cache-read-usage"})
  void should_answer_each_recorded_message_with_the_providers_own_body(String fixture) {
    String session = TestProxy.newSession();
    byte[] recorded = Fixtures.bytes("anthropic/" + fixture + ".json");
    HttpResponse<String> response = ask(fixture, aResponse().withHeader("Content-Type", "application/json")
        .withBody(recorded), session);

    assertEquals(200, response.statusCode(), response.body());
    assertEquals(new String(recorded, StandardCharsets.UTF_8), response.body());
    MessagesClient.assertSpliced(Fixtures.text("anthropic/" + fixture + ".request.json"), upstreamBody(), UPSTREAM_MODEL);
    AnthropicGolden.Facts facts = AnthropicGolden.ofMessage(new JsonObject(response.body()));
    JsonObject row = Ledger.rows(PROXY.get(), session).get(0);
    assertEquals(facts.promptTokens(), row.getLong("prompt_tokens"));
    assertEquals(facts.cacheReadTokens(), row.getLong("cached_tokens"));
    assertEquals(facts.outputTokens(), row.getLong("completion_tokens"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "error-401-authentication-error.json, 401, authentication_error, invalid x-api-key",
      "error-404-not-found-model.json,      404, not_found_error,      model: this-model-does-not-exist-12345",
      "error-429-rate-limit.json,           429, rate_limit_error,     This request would exceed the rate limit",
      "error-529-overloaded.json,           529, overloaded_error,     Overloaded"})
  void should_relay_each_recorded_error_in_anthropics_shape(String fixture, int status, String type, String message) {
    HttpResponse<String> response = ask("stream-text-basic", aResponse().withStatus(status)
        .withHeader("Content-Type", "application/json").withBody(Fixtures.bytes("anthropic/" + fixture)),
        TestProxy.newSession());

    assertEquals(status, response.statusCode());
    JsonObject body = new JsonObject(response.body());
    assertEquals("error", body.getString("type"));
    assertEquals(type, body.getJsonObject("error").getString("type"));
    assertTrue(body.getJsonObject("error").getString("message").startsWith(message), response.body());
  }

  @Test
  void should_end_with_an_error_event_when_anthropic_is_overloaded_mid_stream() {
    String session = TestProxy.newSession();
    String basic = Fixtures.text("anthropic/stream-text-basic.sse");
    String partial = basic.substring(0, basic.indexOf("event: content_block_delta", basic.indexOf("Captain")));
    String sse = partial + Fixtures.text("anthropic/stream-error-event-overloaded.sse");
    HttpResponse<String> response = ask("stream-text-basic", aResponse()
        .withHeader("Content-Type", "text/event-stream").withBody(sse), session);

    assertEquals(200, response.statusCode());
    StrictAnthropicStreamChecker.Result result = StrictAnthropicStreamChecker.check(response.body());
    assertEquals("- Captain", result.text());
    assertEquals("overloaded_error", result.error().getString("type"));
    assertEquals("Overloaded", result.error().getString("message"));
    assertNull(result.finalUsage());
    assertEquals(529, Ledger.rows(PROXY.get(), session).get(0).getInteger("status"));
  }
}
