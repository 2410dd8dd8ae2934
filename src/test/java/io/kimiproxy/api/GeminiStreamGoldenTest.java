package io.kimiproxy.api;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.Fixtures;
import io.kimiproxy.testing.StrictStreamChecker;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every recorded Gemini stream, sent by WireMock on the exact Gemini path, decoded by the proxy and
 * read by a strict client, with and without a usage chunk requested. What the client got is checked
 * against what the recording holds; what Gemini was sent, against the request that produced it.
 */
class GeminiStreamGoldenTest extends GeminiProxyHarness {
  static Stream<Arguments> recordings() {
    List<Arguments> all = new ArrayList<>();
    String[][] cases = {
        {"stream-sse-text", ".sse", "gemini/flash", "gemini-2.5-flash"},
        {"stream-jsonarray-thought-then-functioncall", ".json", "gemini/flash", "gemini-2.5-flash"},
        {"stream-jsonarray-gemini3-functioncall-args", ".json", "gemini/3-flash", "gemini-3-flash-preview"},
        {"stream-jsonarray-thought-text-empty-signature-part", ".json", "gemini/flash-latest", "gemini-flash-latest"},
    };
    for (String[] c : cases) {
      for (boolean usage : new boolean[] {true, false}) all.add(Arguments.of(c[0], c[1], c[2], c[3], usage));
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} include_usage={4}")
  @MethodSource("recordings")
  void should_relay_a_recorded_stream_as_a_strict_openai_stream(String name, String ext, String alias, String model,
                                                                 boolean includeUsage) {
    answer(call(model, true), 200, true, sse(name + ext));
    JsonObject recordedRequest = new JsonObject(Fixtures.text("gemini/" + name + ".request.json"));
    JsonObject request = clientRequest(alias, recordedRequest, includeUsage);

    HttpResponse<String> response = proxy.post("/v1/chat/completions", request.encode());
    assertEquals(200, response.statusCode(), response.body());
    List<String> events = StrictStreamChecker.dataEvents(response.body());
    StrictStreamChecker.Result result = StrictStreamChecker.check(events, includeUsage);

    Recorded recorded = Recorded.of(events(name + ext));
    assertEquals(recorded.content, result.content());
    assertEquals(recorded.reasoning, result.reasoning());
    assertEquals(List.of(recorded.calls.isEmpty() ? "stop" : "tool_calls"), result.finishReasons());
    assertEquals(recorded.calls.size(), result.toolCalls().size());
    for (int i = 0; i < recorded.calls.size(); i++) {
      assertEquals(recorded.calls.get(i).getString("name"), result.toolCalls().get(i).getString("name"));
      assertEquals(recorded.calls.get(i).getJsonObject("args"), result.toolCalls().get(i).getJsonObject("arguments"));
    }
    assertEquals(recorded.signatures, signatures(events), "each call carries its thought signature to the client");
    assertSameIdentity(events, "chatcmpl-" + recorded.responseId, recorded.modelVersion);
    if (includeUsage) {
      JsonObject usage = result.usage();
      assertEquals(recorded.prompt, usage.getLong("prompt_tokens"));
      assertEquals(recorded.candidates + recorded.thoughts, usage.getLong("completion_tokens"));
      assertEquals(recorded.thoughts, usage.getJsonObject("completion_tokens_details").getLong("reasoning_tokens"));
    } else {
      assertNull(result.usage());
    }
    assertSentAsRecorded(model, recordedRequest);
    assertLedger(recorded);
  }

  /**
   * The OpenAI form of the recorded request: its user text and tools (dressed in the JSON Schema
   * keywords Gemini rejects, to see them stripped), plus a system prompt and sampling options.
   */
  private static JsonObject clientRequest(String alias, JsonObject recordedRequest, boolean includeUsage) {
    String text = recordedRequest.getJsonArray("contents").getJsonObject(0).getJsonArray("parts").getJsonObject(0).getString("text");
    JsonObject request = new JsonObject().put("model", alias).put("stream", true)
        .put("messages", new JsonArray()
            .add(new JsonObject().put("role", "system").put("content", "Be brief."))
            .add(new JsonObject().put("role", "user").put("content", text)))
        .put("temperature", 0.3).put("max_tokens", 1000).put("stop", "\n\n\n");
    if (includeUsage) request.put("stream_options", new JsonObject().put("include_usage", true));
    JsonArray tools = new JsonArray();
    for (JsonObject declaration : declarations(recordedRequest)) {
      JsonObject parameters = declaration.getJsonObject("parameters").copy()
          .put("additionalProperties", false).put("$schema", "http://json-schema.org/draft-07/schema#");
      JsonObject function = new JsonObject().put("name", declaration.getString("name")).put("parameters", parameters);
      if (declaration.getValue("description") instanceof String d) function.put("description", d);
      tools.add(new JsonObject().put("type", "function").put("function", function));
    }
    if (!tools.isEmpty()) request.put("tools", tools).put("tool_choice", "auto");
    return request;
  }

  private static List<JsonObject> declarations(JsonObject geminiRequest) {
    List<JsonObject> out = new ArrayList<>();
    if (geminiRequest.getValue("tools") instanceof JsonArray tools) {
      tools.forEach(t -> ((JsonObject) t).getJsonArray("functionDeclarations").forEach(d -> out.add((JsonObject) d)));
    }
    return out;
  }

  private void assertSentAsRecorded(String model, JsonObject recordedRequest) {
    proxy.upstream().verify(1, postRequestedFor(urlEqualTo(path(model, true)))
        .withHeader("x-goog-api-key", equalTo(TestProxy.KEY))
        .withoutHeader("Authorization"));
    assertKeyNeverInUrl();
    JsonObject sent = sent(0);
    assertEquals(recordedRequest.getJsonArray("contents"), sent.getJsonArray("contents"));
    assertEquals(new JsonObject("{\"parts\":[{\"text\":\"Be brief.\"}]}"), sent.getJsonObject("systemInstruction"));
    assertEquals(new JsonObject("{\"temperature\":0.3,\"maxOutputTokens\":1000,\"stopSequences\":[\"\\n\\n\\n\"]}"),
        sent.getJsonObject("generationConfig"));
    List<JsonObject> expected = declarations(recordedRequest);
    List<JsonObject> actual = declarations(sent);
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i).getString("name"), actual.get(i).getString("name"));
      assertEquals(expected.get(i).getJsonObject("parameters"), actual.get(i).getJsonObject("parameters"),
          "the declaration Gemini accepted, with the rejected keywords gone");
    }
    if (expected.isEmpty()) {
      assertFalse(sent.containsKey("tools") || sent.containsKey("toolConfig"), sent.encode());
    } else {
      assertEquals(new JsonObject("{\"functionCallingConfig\":{\"mode\":\"AUTO\"}}"), sent.getJsonObject("toolConfig"));
    }
  }

  private void assertLedger(Recorded recorded) {
    JsonObject session = new JsonObject(proxy.get("/api/sessions").body()).getJsonArray("data").getJsonObject(0);
    assertEquals(recorded.prompt, session.getLong("prompt_tokens"));
    assertEquals(recorded.candidates + recorded.thoughts, session.getLong("completion_tokens"));
    JsonObject row = new JsonObject(proxy.get("/api/sessions/" + session.getString("id")).body())
        .getJsonArray("requests").getJsonObject(0);
    assertEquals(recorded.thoughts, row.getLong("reasoning_tokens"));
    assertEquals(false, row.getBoolean("tokens_estimated"));
    assertEquals(200, row.getInteger("status"));
  }

  private static List<String> signatures(List<String> events) {
    List<String> out = new ArrayList<>();
    for (String event : events.subList(0, events.size() - 1)) {
      for (Object c : new JsonObject(event).getJsonArray("choices")) {
        JsonObject delta = ((JsonObject) c).getJsonObject("delta");
        if (delta == null || !(delta.getValue("tool_calls") instanceof JsonArray calls)) continue;
        for (Object call : calls) {
          JsonObject extra = ((JsonObject) call).getJsonObject("extra_content");
          out.add(extra == null ? null : extra.getJsonObject("google").getString("thought_signature"));
        }
      }
    }
    return out;
  }

  private static void assertSameIdentity(List<String> events, String id, String model) {
    long created = -1;
    for (String event : events.subList(0, events.size() - 1)) {
      JsonObject chunk = new JsonObject(event);
      assertEquals(id, chunk.getString("id"));
      assertEquals(model, chunk.getString("model"));
      if (created < 0) created = chunk.getLong("created");
      assertEquals(created, chunk.getLong("created"));
    }
  }

  /** What a recording holds, read straight from its events. */
  private record Recorded(String content, String reasoning, List<JsonObject> calls, List<String> signatures,
                          long prompt, long candidates, long thoughts, String responseId, String modelVersion) {
    static Recorded of(List<JsonObject> events) {
      StringBuilder content = new StringBuilder();
      StringBuilder reasoning = new StringBuilder();
      List<JsonObject> calls = new ArrayList<>();
      List<String> signatures = new ArrayList<>();
      JsonObject usage = new JsonObject();
      for (JsonObject event : events) {
        usage = event.getJsonObject("usageMetadata", usage);
        for (Object part : event.getJsonArray("candidates").getJsonObject(0).getJsonObject("content").getJsonArray("parts")) {
          JsonObject p = (JsonObject) part;
          if (p.containsKey("functionCall")) {
            calls.add(p.getJsonObject("functionCall"));
            signatures.add(p.getString("thoughtSignature"));
          } else if (p.getBoolean("thought", false)) {
            reasoning.append(p.getString("text"));
          } else {
            content.append(p.getString("text"));
          }
        }
      }
      JsonObject last = events.get(events.size() - 1);
      return new Recorded(content.toString(), reasoning.toString(), calls, signatures,
          usage.getLong("promptTokenCount", 0L), usage.getLong("candidatesTokenCount", 0L),
          usage.getLong("thoughtsTokenCount", 0L), last.getString("responseId"), last.getString("modelVersion"));
    }
  }

  @Test
  void should_end_the_stream_with_an_overloaded_error_that_gemini_sends_mid_stream() {
    // The 503 body arrived after SSE chunks in the capture behind error-503-unavailable-overloaded.json.
    List<JsonObject> recorded = events("stream-sse-text.sse");
    String stream = "data: " + recorded.get(0).encode() + "\r\n\r\ndata: "
        + new JsonObject(Fixtures.text("gemini/error-503-unavailable-overloaded.json")).encode() + "\r\n\r\n";
    answer(call("gemini-2.5-flash", true), 200, true, stream.getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response = proxy.post("/v1/chat/completions", chat("gemini/flash", true, true,
        new JsonArray().add(new JsonObject().put("role", "user").put("content", "What is 4200 + 42?"))));
    StrictStreamChecker.Result result = StrictStreamChecker.check(StrictStreamChecker.dataEvents(response.body()), true);
    assertTrue(result.content().startsWith("To find the sum"), result.content());
    assertEquals("overloaded_error", result.error().getString("type"));
    assertEquals("UNAVAILABLE", result.error().getString("code"));
    assertEquals("The model is overloaded. Please try again later.", result.error().getString("message"));
    JsonObject session = new JsonObject(proxy.get("/api/sessions").body()).getJsonArray("data").getJsonObject(0);
    JsonObject row = new JsonObject(proxy.get("/api/sessions/" + session.getString("id")).body())
        .getJsonArray("requests").getJsonObject(0);
    assertEquals(503, row.getInteger("status"));
    assertEquals("overloaded_error", row.getString("error_type"));
  }
}
