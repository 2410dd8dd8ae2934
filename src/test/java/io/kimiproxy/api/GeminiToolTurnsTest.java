package io.kimiproxy.api;

import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.Fixtures;
import io.kimiproxy.testing.StrictStreamChecker;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tool use over two turns through the real proxy: the model calls a function, the client runs it
 * and sends the whole conversation back, and Gemini must receive its own call (with its thought
 * signature) and the result in its own terms.
 */
class GeminiToolTurnsTest extends GeminiProxyHarness {
  private static final JsonObject WEATHER_TOOL = new JsonObject("""
      {"type":"function","function":{"name":"get_current_weather",
        "description":"Returns the current weather.\\n\\nArgs:\\n  location: The city and state, e.g. San Francisco, CA",
        "parameters":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"],
                      "additionalProperties":false}}}""");
  private static final JsonObject MULTIPLY_TOOL = new JsonObject("""
      {"type":"function","function":{"name":"multiply","description":"Multiply two numbers.",
        "parameters":{"type":"object","properties":{"x":{"type":"integer"},"y":{"type":"integer"}},"required":["x","y"]}}}""");

  @Test
  void should_replay_the_recorded_function_call_conversation_without_streaming() {
    String model = "gemini-2.5-flash";
    answer(call(model, false), 200, false,
        Fixtures.bytes("gemini/generatecontent-functioncall.json"));
    answer(call(model, false).atPriority(1)
        .withRequestBody(matchingJsonPath("$.contents[2]")), 200, false,
        Fixtures.bytes("gemini/generatecontent-text-after-function-response.json"));
    JsonArray messages = new JsonArray().add(new JsonObject().put("role", "user").put("content", "What is the weather like in Boston?"));

    JsonObject first = completion(messages);
    JsonObject message = first.getJsonArray("choices").getJsonObject(0).getJsonObject("message");
    assertEquals("tool_calls", first.getJsonArray("choices").getJsonObject(0).getString("finish_reason"));
    assertNull(message.getValue("content"));
    JsonObject call = message.getJsonArray("tool_calls").getJsonObject(0);
    assertEquals("get_current_weather", call.getJsonObject("function").getString("name"));
    assertEquals(new JsonObject().put("prompt_tokens", 42).put("completion_tokens", 9).put("total_tokens", 51), first.getJsonObject("usage"));

    messages.add(message).add(new JsonObject().put("role", "tool").put("tool_call_id", call.getString("id"))
        .put("content", "{\"result\":\"rainy\"}"));
    JsonObject second = completion(messages);
    JsonObject choice = second.getJsonArray("choices").getJsonObject(0);
    assertEquals("It is rainy in Boston, MA.\n", choice.getJsonObject("message").getString("content"));
    assertEquals("stop", choice.getString("finish_reason"));
    assertEquals("gemini-2.0-flash-001", second.getString("model"));

    // The second call is the recorded one: the same contents Gemini answered, the same declaration.
    JsonObject recorded = new JsonObject(Fixtures.text("gemini/generatecontent-text-after-function-response.request.json"));
    JsonObject sent = sent(1);
    assertEquals(recorded.getJsonArray("contents"), sent.getJsonArray("contents"));
    JsonObject declaration = sent.getJsonArray("tools").getJsonObject(0).getJsonArray("functionDeclarations").getJsonObject(0);
    JsonObject recordedDeclaration = recorded.getJsonArray("tools").getJsonObject(0).getJsonArray("functionDeclarations").getJsonObject(0);
    assertEquals(recordedDeclaration.getString("description"), declaration.getString("description"));
    // Gemini takes type names in either case; the recording used the upper-case enum names.
    assertEquals(new JsonObject(recordedDeclaration.getJsonObject("parameters").encode().toLowerCase()), declaration.getJsonObject("parameters"));
    assertKeyNeverInUrl();

    JsonObject session = new JsonObject(proxy.get("/api/sessions").body()).getJsonArray("data").getJsonObject(0);
    assertEquals(2, session.getInteger("request_count"));
    assertEquals(42 + 58, session.getInteger("prompt_tokens"));
    assertEquals(9 + 9, session.getInteger("completion_tokens"));
    assertEquals((100 * 0.30 + 18 * 2.50) / 1e6, session.getDouble("cost_usd"), 1e-12);
  }

  private JsonObject completion(JsonArray messages) {
    JsonObject request = new JsonObject().put("model", "gemini/flash").put("messages", messages)
        .put("tools", new JsonArray().add(WEATHER_TOOL));
    HttpResponse<String> response = proxy.post("/v1/chat/completions", request.encode());
    assertEquals(200, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
    return new JsonObject(response.body());
  }

  @Test
  void should_send_the_thought_signature_back_on_the_next_turn() {
    JsonObject call = firstTurnCall();
    String signature = call.getJsonObject("extra_content").getJsonObject("google").getString("thought_signature");
    assertEquals(recordedSignature(), signature);

    JsonObject sent = secondTurn(call);
    JsonObject modelTurn = sent.getJsonArray("contents").getJsonObject(1);
    assertEquals(new JsonObject().put("role", "model").put("parts", new JsonArray().add(new JsonObject()
        .put("functionCall", new JsonObject().put("name", "multiply").put("args", new JsonObject().put("y", 3).put("x", 5)))
        .put("thoughtSignature", signature))), modelTurn);
    assertEquals(new JsonObject().put("role", "user").put("parts", new JsonArray().add(new JsonObject()
        .put("functionResponse", new JsonObject().put("name", "multiply").put("response", new JsonObject().put("content", "15"))))),
        sent.getJsonArray("contents").getJsonObject(2));
  }

  @Test
  void should_send_the_documented_placeholder_when_the_client_dropped_the_signature() {
    JsonObject call = firstTurnCall();
    call.remove("extra_content"); // what a client that rebuilds assistant messages from its own history sends
    JsonObject part = secondTurn(call).getJsonArray("contents").getJsonObject(1).getJsonArray("parts").getJsonObject(0);
    assertEquals("skip_thought_signature_validator", part.getString("thoughtSignature"));
    assertFalse(recordedSignature().equals(part.getString("thoughtSignature")));
  }

  private JsonObject firstTurnCall() {
    answer(call("gemini-3-flash-preview", true), 200, true,
        sse("stream-jsonarray-gemini3-functioncall-args.json"));
    answer(call("gemini-3-flash-preview", true).atPriority(1)
        .withRequestBody(matchingJsonPath("$.contents[2]")), 200, true, sse("stream-sse-text.sse"));
    HttpResponse<String> response = proxy.post("/v1/chat/completions", turn(new JsonArray()));
    List<String> events = StrictStreamChecker.dataEvents(response.body());
    StrictStreamChecker.check(events, false);
    return new JsonObject(events.get(0)).getJsonArray("choices").getJsonObject(0).getJsonObject("delta")
        .getJsonArray("tool_calls").getJsonObject(0).copy();
  }

  /** The client sends the call back as a plain assistant message (no stream index) with the result. */
  private JsonObject secondTurn(JsonObject streamedCall) {
    streamedCall.remove("index");
    JsonArray more = new JsonArray()
        .add(new JsonObject().put("role", "assistant").putNull("content").put("tool_calls", new JsonArray().add(streamedCall)))
        .add(new JsonObject().put("role", "tool").put("tool_call_id", streamedCall.getString("id")).put("content", "15"));
    HttpResponse<String> response = proxy.post("/v1/chat/completions", turn(more));
    StrictStreamChecker.Result result = StrictStreamChecker.check(StrictStreamChecker.dataEvents(response.body()), false);
    assertTrue(result.content().endsWith("**4242**."), result.content());
    return sent(1);
  }

  private static String turn(JsonArray after) {
    JsonArray messages = new JsonArray().add(new JsonObject().put("role", "user").put("content", "What is 5 times 3?")).addAll(after);
    return new JsonObject().put("model", "gemini/3-flash").put("stream", true).put("messages", messages)
        .put("tools", new JsonArray().add(MULTIPLY_TOOL)).encode();
  }

  private static String recordedSignature() {
    return events("stream-jsonarray-gemini3-functioncall-args.json").get(0).getJsonArray("candidates")
        .getJsonObject(0).getJsonObject("content").getJsonArray("parts").getJsonObject(0).getString("thoughtSignature");
  }
}
