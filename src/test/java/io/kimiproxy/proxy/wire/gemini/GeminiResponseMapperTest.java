package io.kimiproxy.proxy.wire.gemini;

import io.kimiproxy.testing.Requests;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.Fixtures;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class GeminiResponseMapperTest {

  @Test
  void should_map_a_recorded_function_call_answer() {
    JsonObject completion = GeminiResponseMapper.toCompletion(
        new JsonObject(Fixtures.text("gemini/generatecontent-functioncall.json")), "gemini-2.0-flash");
    assertEquals("chatcmpl--AtkaJ3CG-mm7dcPpc-_sAU", completion.getString("id"));
    assertEquals("chat.completion", completion.getString("object"));
    assertEquals("gemini-2.0-flash-001", completion.getString("model"));
    JsonObject choice = completion.getJsonArray("choices").getJsonObject(0);
    assertEquals("tool_calls", choice.getString("finish_reason"));
    JsonObject message = choice.getJsonObject("message");
    assertTrue(message.containsKey("content") && message.getValue("content") == null, message.encode());
    JsonObject call = message.getJsonArray("tool_calls").getJsonObject(0);
    assertEquals("function", call.getString("type"));
    assertTrue(call.getString("id").startsWith("call_"));
    assertEquals("get_current_weather", call.getJsonObject("function").getString("name"));
    assertEquals(new JsonObject().put("location", "Boston, MA"), new JsonObject(call.getJsonObject("function").getString("arguments")));
    assertEquals(new JsonObject().put("prompt_tokens", 42).put("completion_tokens", 9).put("total_tokens", 51),
        completion.getJsonObject("usage"));
  }

  /** The elements of the recorded JSON-array stream are whole responses: read one as a complete answer. */
  @Test
  void should_map_thoughts_and_a_signed_call_from_a_recorded_stream_element() {
    JsonArray elements = new JsonArray(Fixtures.text("gemini/stream-jsonarray-thought-then-functioncall.json"));
    JsonObject thought = GeminiResponseMapper.toCompletion(elements.getJsonObject(0), "gemini-2.5-flash")
        .getJsonArray("choices").getJsonObject(0).getJsonObject("message");
    assertTrue(thought.getString("reasoning_content").startsWith("**Generating Pelican Names**"));
    assertEquals("", thought.getString("content"));
    JsonObject call = GeminiResponseMapper.toCompletion(elements.getJsonObject(1), "gemini-2.5-flash")
        .getJsonArray("choices").getJsonObject(0).getJsonObject("message").getJsonArray("tool_calls").getJsonObject(0);
    String signature = elements.getJsonObject(1).getJsonArray("candidates").getJsonObject(0).getJsonObject("content")
        .getJsonArray("parts").getJsonObject(0).getString("thoughtSignature");
    assertEquals(signature, GeminiToolCalls.signatureOf(Requests.message(new JsonObject().put("role", "assistant")
        .put("tool_calls", new JsonArray().add(call))).toolCalls().get(0)));
  }

  @Test
  void should_give_one_choice_per_candidate_and_a_filtered_choice_for_a_blocked_prompt() {
    JsonObject two = GeminiResponseMapper.toCompletion(new JsonObject("""
        {"candidates":[{"content":{"parts":[{"text":"A"}],"role":"model"},"finishReason":"STOP","index":0},
                       {"content":{"parts":[{"text":"B"}],"role":"model"},"finishReason":"MAX_TOKENS","index":1}]}"""), "m");
    JsonArray choices = two.getJsonArray("choices");
    assertEquals(2, choices.size());
    assertEquals("B", choices.getJsonObject(1).getJsonObject("message").getString("content"));
    assertEquals("length", choices.getJsonObject(1).getString("finish_reason"));
    assertEquals("m", two.getString("model"));
    assertFalse(two.containsKey("usage"));
    JsonObject blocked = GeminiResponseMapper.toCompletion(new JsonObject(
        "{\"promptFeedback\":{\"blockReason\":\"SAFETY\"},\"usageMetadata\":{\"promptTokenCount\":5,\"totalTokenCount\":5}}"), "m");
    JsonObject choice = blocked.getJsonArray("choices").getJsonObject(0);
    assertEquals("content_filter", choice.getString("finish_reason"));
    assertEquals("", choice.getJsonObject("message").getString("content"));
    assertNull(choice.getJsonObject("message").getValue("tool_calls"));
    assertEquals(5, blocked.getJsonObject("usage").getInteger("prompt_tokens"));
  }
}
