package io.kimiproxy.api.golden;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.kimiproxy.testing.Stubs.json;
import static io.kimiproxy.testing.Stubs.sequence;
import static io.kimiproxy.testing.Stubs.sse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import io.kimiproxy.core.model.Usage;
import io.kimiproxy.testing.Fixtures;
import io.kimiproxy.testing.Ledger;
import io.kimiproxy.testing.OpenAiGolden;
import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.StrictStreamChecker;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every recorded successful answer in OpenAI's format, from every OpenAI-compatible provider in
 * tests-data/fixtures, through the real proxy: WireMock serves the recorded bytes to a provider
 * named after the fixture's folder (so the name-based quirks apply), the client's stream must
 * pass the strict checker with and without include_usage and carry the recorded text, reasoning
 * and tool calls, and the ledger must hold the provider's usage (or, where it reported none, an
 * estimate marked as such).
 */
class OpenAiCompatibleGoldenTest {
  @RegisterExtension
  static final SharedProxy SHARED = SharedProxy.with(OpenAiGolden.config());

  static Stream<Arguments> streams() {
    return OpenAiGolden.answers(".sse").stream().flatMap(f -> Stream.of(Arguments.of(f, true), Arguments.of(f, false)));
  }

  static Stream<String> wholeAnswers() {
    return OpenAiGolden.answers(".json").stream();
  }

  @ParameterizedTest(name = "{0} include_usage={1}")
  @MethodSource("streams")
  void should_relay_every_recorded_stream_as_a_strict_openai_stream(String fixture, boolean includeUsage) {
    String folder = fixture.substring(0, fixture.indexOf('/'));
    sequence(proxy().upstream(), "/" + folder + "/v1/chat/completions", sse(fixture));
    String session = TestProxy.newSession();
    HttpResponse<String> response = post(folder, session, true, includeUsage);
    assertEquals(200, response.statusCode(), response.body());

    StrictStreamChecker.Result result = StrictStreamChecker.check(StrictStreamChecker.dataEvents(response.body()), includeUsage);
    OpenAiGolden.Recorded recorded = OpenAiGolden.Recorded.ofStream(Fixtures.text(fixture));
    assertNull(result.error(), response.body());
    assertEquals(recorded.content(), result.content());
    assertEquals(recorded.reasoning(), result.reasoning());
    assertEquals(recorded.toolCallNames(), result.toolCalls().stream().map(c -> c.getString("name")).toList());
    if (includeUsage && recorded.usage() != null) {
      assertEquals(recorded.usage().getLong("prompt_tokens"), result.usage().getLong("prompt_tokens"));
      assertEquals(recorded.usage().getLong("completion_tokens"), result.usage().getLong("completion_tokens"));
    }
    assertLedgerUsage(session, recorded.usage());

    RequestPatternBuilder sent = postRequestedFor(urlEqualTo("/" + folder + "/v1/chat/completions"));
    if (folder.equals("mistral")) {
      assertFalse(proxy().upstream().findAll(sent).get(0).getBodyAsString().contains("stream_options"));
    } else {
      proxy().upstream().verify(sent.withRequestBody(matchingJsonPath("$.stream_options.include_usage", equalTo("true"))));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wholeAnswers")
  void should_relay_every_recorded_answer_as_a_chat_completion(String fixture) {
    String folder = fixture.substring(0, fixture.indexOf('/'));
    sequence(proxy().upstream(), "/" + folder + "/v1/chat/completions", json(200, fixture));
    String session = TestProxy.newSession();
    HttpResponse<String> response = post(folder, session, false, false);
    assertEquals(200, response.statusCode(), response.body());

    JsonObject answer = new JsonObject(response.body());
    JsonObject recorded = new JsonObject(Fixtures.text(fixture).trim());
    JsonArray choices = answer.getJsonArray("choices");
    assertEquals(recorded.getJsonArray("choices").size(), choices.size());
    JsonObject message = choices.getJsonObject(0).getJsonObject("message");
    JsonObject recordedMessage = recorded.getJsonArray("choices").getJsonObject(0).getJsonObject("message");
    if (recordedMessage != null) {
      assertEquals(recordedMessage.getValue("content"), message.getValue("content"));
      Object reasoning = recordedMessage.getValue("reasoning_content") != null
          ? recordedMessage.getValue("reasoning_content") : recordedMessage.getValue("reasoning");
      assertEquals(reasoning, message.getValue("reasoning_content"));
      if (message.getValue("tool_calls") instanceof JsonArray calls) {
        for (Object call : calls) {
          assertFalse(((JsonObject) call).getString("id", "").isEmpty(), message.encode());
          assertEquals("function", ((JsonObject) call).getString("type"));
        }
      }
    }
    assertLedgerUsage(session, recorded.getJsonObject("usage"));
  }

  private static HttpResponse<String> post(String folder, String session, boolean stream, boolean includeUsage) {
    JsonObject body = new JsonObject().put("model", folder + "/m").put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Tell me a joke")));
    if (includeUsage) body.put("stream_options", new JsonObject().put("include_usage", true));
    return proxy().send(proxy().request("/v1/chat/completions").header("Content-Type", "application/json")
        .header("X-Session-Id", session).POST(HttpRequest.BodyPublishers.ofString(body.encode())).build());
  }

  /** The provider's usage is what the ledger holds; without one, an estimate marked as such. */
  private static void assertLedgerUsage(String session, JsonObject reported) {
    JsonObject row = Ledger.rows(proxy(), session).get(0);
    assertEquals(200, row.getInteger("status"));
    if (reported == null) {
      assertTrue(row.getBoolean("tokens_estimated"), row.encode());
      assertTrue(row.getLong("prompt_tokens") > 0 && row.getLong("completion_tokens") > 0, row.encode());
      return;
    }
    Usage usage = Usage.fromOpenAi(reported);
    assertFalse(row.getBoolean("tokens_estimated"), row.encode());
    assertEquals(usage.promptTokens(), row.getLong("prompt_tokens"));
    assertEquals(usage.completionTokens(), row.getLong("completion_tokens"));
    assertEquals(usage.cachedTokens(), row.getLong("cached_tokens"));
    assertEquals(usage.reasoningTokens(), row.getLong("reasoning_tokens"));
  }

  private static TestProxy proxy() {
    return SHARED.get();
  }
}
