package io.kimiproxy.api.messages;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.kimiproxy.testing.Stubs.json;
import static io.kimiproxy.testing.Stubs.sequence;
import static io.kimiproxy.testing.Stubs.sse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.core.model.Usage;
import io.kimiproxy.testing.Fixtures;
import io.kimiproxy.testing.Ledger;
import io.kimiproxy.testing.MessagesClient;
import io.kimiproxy.testing.OpenAiGolden;
import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.StrictAnthropicStreamChecker;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every recorded successful answer of every OpenAI-compatible provider in tests-data/fixtures
 * ({@link OpenAiGolden}),
 * through the real proxy to an Anthropic Messages client: the stream must pass the strict Anthropic
 * checker and carry the recorded text, reasoning (as thinking) and tool calls (as tool_use with
 * their arguments as input), the whole answer must say the same as a message, and the final usage
 * must be the recorded one.
 */
class MessagesTranslationGoldenTest {
  @RegisterExtension
  static final SharedProxy SHARED = SharedProxy.with(OpenAiGolden.config());

  static Stream<String> streams() {
    return OpenAiGolden.answers(".sse").stream();
  }

  static Stream<String> wholeAnswers() {
    return OpenAiGolden.answers(".json").stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streams")
  void should_translate_every_recorded_stream_into_anthropics_events(String fixture) {
    String folder = fixture.substring(0, fixture.indexOf('/'));
    sequence(proxy().upstream(), "/" + folder + "/v1/chat/completions", sse(fixture));
    String session = TestProxy.newSession();
    HttpResponse<String> response = MessagesClient.post(proxy(), body(folder, true), session);
    assertEquals(200, response.statusCode(), response.body());

    StrictAnthropicStreamChecker.Result result = StrictAnthropicStreamChecker.check(response.body());
    OpenAiGolden.Recorded recorded = OpenAiGolden.Recorded.ofStream(Fixtures.text(fixture));
    assertNull(result.error(), response.body());
    assertEquals(recorded.content(), result.text());
    assertEquals(recorded.reasoning(), result.thinking());
    assertEquals(recorded.toolCalls(), result.toolCalls().stream().map(c -> c.getString("name") + " " + c.getJsonObject("input").encode()).toList());
    assertEquals(recorded.toolCalls().isEmpty() ? "end_turn" : "tool_use", result.stopReason());
    assertTrue(result.message().getString("id").startsWith("msg_"), result.message().encode());
    assertTrue(result.startUsage().getLong("input_tokens") > 0, "message_start states the prompt estimate");
    JsonObject row = Ledger.rows(proxy(), session).get(0);
    assertEquals("messages", row.getString("api"));
    if (recorded.usage() != null) {
      Usage usage = Usage.fromOpenAi(recorded.usage());
      assertEquals(usage.completionTokens(), result.finalUsage().getLong("output_tokens"));
      assertEquals(usage.promptTokens() - usage.cachedTokens(), result.finalUsage().getLong("input_tokens"));
      assertEquals(usage.cachedTokens(), result.finalUsage().getLong("cache_read_input_tokens"));
      assertEquals(usage.promptTokens(), row.getLong("prompt_tokens"));
      assertFalse(row.getBoolean("tokens_estimated"));
    } else {
      assertTrue(row.getBoolean("tokens_estimated"));
    }
    JsonObject sent = new JsonObject(proxy().upstream()
        .findAll(postRequestedFor(urlEqualTo("/" + folder + "/v1/chat/completions"))).get(0).getBodyAsString());
    assertEquals("You are terse.", sent.getJsonArray("messages").getJsonObject(0).getString("content"));
    assertEquals(64, sent.getInteger("max_tokens", sent.getInteger("max_completion_tokens")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wholeAnswers")
  void should_translate_every_recorded_answer_into_a_message(String fixture) {
    String folder = fixture.substring(0, fixture.indexOf('/'));
    sequence(proxy().upstream(), "/" + folder + "/v1/chat/completions", json(200, fixture));
    HttpResponse<String> response = MessagesClient.post(proxy(), body(folder, false), TestProxy.newSession());
    assertEquals(200, response.statusCode(), response.body());

    JsonObject message = new JsonObject(response.body());
    JsonObject recorded = new JsonObject(Fixtures.text(fixture).trim());
    JsonObject choice = recorded.getJsonArray("choices").getJsonObject(0);
    JsonObject said = choice.getJsonObject("message", new JsonObject());
    assertEquals("message", message.getString("type"));
    assertEquals("assistant", message.getString("role"));
    assertEquals(folder + "/m", message.getString("model"));
    StringBuilder text = new StringBuilder();
    StringBuilder thinking = new StringBuilder();
    List<String> calls = new ArrayList<>();
    for (Object b : message.getJsonArray("content")) {
      JsonObject block = (JsonObject) b;
      switch (block.getString("type")) {
        case "text" -> text.append(block.getString("text"));
        case "thinking" -> thinking.append(block.getString("thinking"));
        case "tool_use" -> calls.add(block.getString("name") + " " + block.getJsonObject("input").encode());
        default -> throw new AssertionError("unexpected block " + block);
      }
    }
    assertEquals(said.getValue("content") instanceof String s ? s : "", text.toString());
    Object reasoning = said.getValue("reasoning_content") != null ? said.getValue("reasoning_content") : said.getValue("reasoning");
    assertEquals(reasoning == null ? "" : reasoning, thinking.toString());
    List<String> expected = new ArrayList<>();
    for (Object c : said.getValue("tool_calls") instanceof JsonArray recordedCalls ? recordedCalls : new JsonArray()) {
      JsonObject fn = ((JsonObject) c).getJsonObject("function");
      expected.add(fn.getString("name") + " " + new JsonObject(fn.getString("arguments")).encode());
    }
    assertEquals(expected, calls);
    String finish = choice.getString("finish_reason");
    assertEquals(!expected.isEmpty() ? "tool_use" : "length".equals(finish) ? "max_tokens"
        : "content_filter".equals(finish) ? "refusal" : "end_turn", message.getString("stop_reason"));
    Usage usage = Usage.fromOpenAi(recorded.getJsonObject("usage"));
    assertEquals(usage.completionTokens(), message.getJsonObject("usage").getLong("output_tokens"));
    assertEquals(usage.cachedTokens(), message.getJsonObject("usage").getLong("cache_read_input_tokens"));
  }

  /** A one-turn Messages request with a system prompt and a token limit. */
  private static String body(String folder, boolean stream) {
    return new JsonObject().put("model", folder + "/m").put("max_tokens", 64).put("stream", stream)
        .put("system", "You are terse.")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Tell me a joke")))
        .encode();
  }

  private static TestProxy proxy() {
    return SHARED.get();
  }
}
