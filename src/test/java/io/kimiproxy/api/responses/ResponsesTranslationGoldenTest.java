package io.kimiproxy.api.responses;

import static io.kimiproxy.testing.ResponsesClient.ask;
import static io.kimiproxy.testing.Stubs.json;
import static io.kimiproxy.testing.Stubs.sequence;
import static io.kimiproxy.testing.Stubs.sse;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kimiproxy.testing.Fixtures;
import io.kimiproxy.testing.Ledger;
import io.kimiproxy.testing.OpenAiGolden;
import io.kimiproxy.testing.ResponsesClient;
import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.StrictResponsesStreamChecker;
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
 * Every recorded successful answer of every OpenAI-compatible provider in tests-data/fixtures, sent
 * to a Responses client: each stream must pass the strict Responses checker and carry the recorded
 * text, reasoning, tool calls (names and arguments) and usage; each whole answer must become a
 * response object saying the same; the ledger must hold the provider's usage under api "responses".
 */
class ResponsesTranslationGoldenTest {
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
  void should_turn_every_recorded_stream_into_a_strict_responses_stream(String fixture) {
    String folder = fixture.substring(0, fixture.indexOf('/'));
    sequence(proxy().upstream(), "/" + folder + "/v1/chat/completions", sse(fixture));
    String session = TestProxy.newSession();

    HttpResponse<String> response = ResponsesClient.post(proxy(),
        ask(folder + "/m", true, "Answer as recorded").put("prompt_cache_key", session));

    assertEquals(200, response.statusCode(), response.body());
    StrictResponsesStreamChecker.Result result = StrictResponsesStreamChecker.check(response.body());
    OpenAiGolden.Recorded recorded = OpenAiGolden.Recorded.ofStream(Fixtures.text(fixture));
    assertEquals(recorded.content(), result.text());
    assertEquals(recorded.reasoning(), result.reasoning());
    assertEquals(recorded.toolCalls(), calls(result.calls()));
    JsonObject row = Ledger.rows(proxy(), session).get(0);
    assertEquals("responses", row.getString("api"));
    if (recorded.usage() != null) {
      assertEquals(recorded.usage().getLong("prompt_tokens"), result.usage().getLong("input_tokens"));
      assertEquals(recorded.usage().getLong("completion_tokens"), result.usage().getLong("output_tokens"));
      assertEquals(recorded.usage().getLong("prompt_tokens"), row.getLong("prompt_tokens"));
      assertEquals(false, row.getBoolean("tokens_estimated"));
    } else {
      assertEquals(row.getLong("prompt_tokens"), result.usage().getLong("input_tokens"));
      assertEquals(true, row.getBoolean("tokens_estimated"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wholeAnswers")
  void should_turn_every_recorded_answer_into_a_response_object(String fixture) {
    String folder = fixture.substring(0, fixture.indexOf('/'));
    sequence(proxy().upstream(), "/" + folder + "/v1/chat/completions", json(200, fixture));

    HttpResponse<String> response = ResponsesClient.post(proxy(), ask(folder + "/m", false, "Answer as recorded"));

    assertEquals(200, response.statusCode(), response.body());
    JsonObject answer = new JsonObject(response.body());
    JsonObject recorded = new JsonObject(Fixtures.text(fixture));
    JsonObject choice = recorded.getJsonArray("choices").getJsonObject(0);
    JsonObject message = choice.getJsonObject("message", new JsonObject());
    StringBuilder text = new StringBuilder();
    List<String> calls = new ArrayList<>();
    for (Object o : answer.getJsonArray("output")) {
      JsonObject item = (JsonObject) o;
      if (item.getString("type").equals("message")) {
        item.getJsonArray("content").forEach(p -> text.append(((JsonObject) p).getString("text")));
      } else if (item.getString("type").equals("function_call")) {
        calls.add(item.getString("name") + " " + new JsonObject(item.getString("arguments")).encode());
      }
    }
    assertEquals(message.getString("content") == null ? "" : message.getString("content"), text.toString());
    List<String> recordedCalls = new ArrayList<>();
    for (Object c : message.getValue("tool_calls") instanceof JsonArray a ? a : new JsonArray()) {
      JsonObject fn = ((JsonObject) c).getJsonObject("function");
      recordedCalls.add(fn.getString("name") + " " + new JsonObject(fn.getString("arguments")).encode());
    }
    assertEquals(recordedCalls, calls);
    String finish = choice.getString("finish_reason");
    assertEquals("length".equals(finish) || "content_filter".equals(finish) ? "incomplete" : "completed",
        answer.getString("status"));
    if (recorded.getValue("usage") instanceof JsonObject usage) {
      assertEquals(usage.getLong("prompt_tokens"), answer.getJsonObject("usage").getLong("input_tokens"));
      assertEquals(usage.getLong("completion_tokens"), answer.getJsonObject("usage").getLong("output_tokens"));
    }
  }

  /** Each call as "name arguments", the arguments re-encoded like the recording's. */
  private static List<String> calls(List<JsonObject> calls) {
    return calls.stream().map(c -> c.getString("name") + " "
        + new JsonObject(c.getString("arguments").isEmpty() ? "{}" : c.getString("arguments")).encode()).toList();
  }

  private static TestProxy proxy() {
    return SHARED.get();
  }
}
