package io.kimiproxy.proxy.wire.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.proxy.sse.SseEvent;
import io.kimiproxy.proxy.wire.Chunk;
import io.kimiproxy.proxy.wire.ChunkSink;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeminiStreamDecoderTest {

  /** Collects what the decoder emits, as the relay would receive it. */
  private static final class Collected implements ChunkSink {
    final List<JsonObject> chunks = new ArrayList<>();
    ProxyError error;

    @Override
    public void chunk(Chunk chunk) {
      chunks.add(new JsonObject(chunk.wire()));
    }

    @Override
    public void done() {
      throw new AssertionError("a Gemini stream has no [DONE]; the relay ends it");
    }

    @Override
    public void error(ProxyError e) {
      error = e;
    }

    List<JsonObject> choices() {
      List<JsonObject> out = new ArrayList<>();
      chunks.forEach(c -> c.getJsonArray("choices").forEach(o -> out.add((JsonObject) o)));
      return out;
    }
  }

  private static Collected decode(String... events) {
    GeminiStreamDecoder decoder = new GeminiStreamDecoder("gemini", "gemini-2.5-flash");
    Collected sink = new Collected();
    for (String event : events) decoder.onEvent(new SseEvent(null, event), sink);
    decoder.onEnd(sink);
    return sink;
  }

  private static String event(String parts, String finish, String usage) {
    return "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":" + parts + "},\"index\":0"
        + (finish == null ? "" : ",\"finishReason\":\"" + finish + "\"") + "}]"
        + (usage == null ? "" : ",\"usageMetadata\":" + usage) + ",\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r1\"}";
  }

  @Test
  void should_number_tool_calls_across_the_stream_with_parallel_calls_consecutive() {
    Collected sink = decode(
        event("[{\"text\":\"Checking.\"}]", null, null),
        event("[{\"functionCall\":{\"name\":\"read_file\",\"args\":{\"path\":\"a\"}},\"thoughtSignature\":\"sig\"},"
            + "{\"functionCall\":{\"name\":\"read_file\",\"args\":{\"path\":\"b\"}}}]", null, null),
        event("[{\"functionCall\":{\"name\":\"list_files\",\"args\":{}}}]", "STOP", null));
    List<JsonObject> choices = sink.choices();
    assertEquals(new JsonObject().put("role", "assistant").put("content", "Checking."), choices.get(0).getJsonObject("delta"));
    JsonArray parallel = choices.get(1).getJsonObject("delta").getJsonArray("tool_calls");
    assertEquals(0, parallel.getJsonObject(0).getInteger("index"));
    assertEquals(1, parallel.getJsonObject(1).getInteger("index"));
    assertEquals("{\"path\":\"a\"}", parallel.getJsonObject(0).getJsonObject("function").getString("arguments"));
    assertEquals("sig", parallel.getJsonObject(0).getJsonObject("extra_content").getJsonObject("google").getString("thought_signature"));
    assertNull(parallel.getJsonObject(1).getValue("extra_content"));
    JsonObject third = choices.get(2).getJsonObject("delta").getJsonArray("tool_calls").getJsonObject(0);
    assertEquals(2, third.getInteger("index"));
    assertEquals("{}", third.getJsonObject("function").getString("arguments"));
    List<String> ids = List.of(parallel.getJsonObject(0).getString("id"), parallel.getJsonObject(1).getString("id"), third.getString("id"));
    assertEquals(3, ids.stream().distinct().count(), ids.toString());
    assertTrue(ids.stream().allMatch(id -> id.startsWith("call_")), ids.toString());
    assertEquals(new JsonObject(), choices.get(3).getJsonObject("delta"), "the finish comes in a chunk of its own");
    assertEquals("tool_calls", choices.get(3).getString("finish_reason"));
    sink.chunks.forEach(c -> {
      assertEquals("chatcmpl-r1", c.getString("id"));
      assertEquals("gemini-2.5-flash", c.getString("model"));
      assertEquals("chat.completion.chunk", c.getString("object"));
    });
  }

  @Test
  void should_send_reasoning_apart_from_content_and_usage_once_at_the_end() {
    String early = "{\"promptTokenCount\":11,\"totalTokenCount\":11}";
    String last = "{\"promptTokenCount\":11,\"candidatesTokenCount\":2,\"thoughtsTokenCount\":291,\"cachedContentTokenCount\":4}";
    Collected sink = decode(
        event("[{\"text\":\"**Thinking**\",\"thought\":true}]", null, early),
        event("[{\"text\":\"Scoop\"}]", null, last),
        event("[{\"text\":\"\",\"thoughtSignature\":\"c2ln\"}]", "STOP", last));
    List<JsonObject> choices = sink.choices();
    assertEquals(new JsonObject().put("role", "assistant").put("reasoning_content", "**Thinking**"), choices.get(0).getJsonObject("delta"));
    assertEquals(new JsonObject().put("content", "Scoop"), choices.get(1).getJsonObject("delta"));
    assertEquals("stop", choices.get(2).getString("finish_reason"));
    assertEquals(3, choices.size(), "the empty signature part adds nothing");
    JsonObject usageChunk = sink.chunks.get(sink.chunks.size() - 1);
    assertEquals(new JsonArray(), usageChunk.getJsonArray("choices"));
    assertEquals(new JsonObject("{\"prompt_tokens\":11,\"completion_tokens\":293,\"total_tokens\":304,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":4},\"completion_tokens_details\":{\"reasoning_tokens\":291}}"),
        usageChunk.getJsonObject("usage"));
    assertEquals(1, sink.chunks.stream().filter(c -> c.containsKey("usage")).count());
  }

  @Test
  void should_map_finish_reasons() {
    assertEquals("length", lastFinish(decode(event("[{\"text\":\"cut\"}]", "MAX_TOKENS", null))));
    assertEquals("content_filter", lastFinish(decode(event("[]", "SAFETY", null))));
    assertEquals("content_filter", lastFinish(decode(event("[]", "RECITATION", null))));
    assertEquals("stop", lastFinish(decode(event("[{\"text\":\"x\"}]", "MALFORMED_FUNCTION_CALL", null))));
    Collected blocked = decode("{\"promptFeedback\":{\"blockReason\":\"PROHIBITED_CONTENT\"},\"usageMetadata\":{\"promptTokenCount\":7}}");
    JsonObject choice = blocked.choices().get(0);
    assertEquals("content_filter", choice.getString("finish_reason"));
    assertEquals(new JsonObject().put("role", "assistant"), choice.getJsonObject("delta"));
  }

  private static String lastFinish(Collected sink) {
    List<JsonObject> choices = sink.choices();
    return choices.get(choices.size() - 1).getString("finish_reason");
  }

  @Test
  void should_keep_candidates_apart_as_choices() {
    Collected sink = decode("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"A\"}]},\"index\":0},"
        + "{\"content\":{\"parts\":[{\"text\":\"B\"}]},\"index\":1,\"finishReason\":\"STOP\"}],\"responseId\":\"r2\"}");
    List<JsonObject> choices = sink.choices();
    assertEquals(0, choices.get(0).getInteger("index"));
    assertEquals("assistant", choices.get(0).getJsonObject("delta").getString("role"));
    assertEquals(1, choices.get(1).getInteger("index"));
    assertEquals(new JsonObject().put("role", "assistant").put("content", "B"), choices.get(1).getJsonObject("delta"));
    assertEquals(new JsonObject(), choices.get(2).getJsonObject("delta"), "each choice gets its role once");
  }

  @Test
  void should_end_with_an_error_on_an_error_event_or_broken_json() {
    Collected overloaded = decode(event("[{\"text\":\"Hi\"}]", null, null),
        "{\"error\":{\"code\":503,\"message\":\"The model is overloaded. Please try again later.\",\"status\":\"UNAVAILABLE\"}}");
    assertEquals(503, overloaded.error.status());
    assertEquals("overloaded_error", overloaded.error.type());
    assertEquals("UNAVAILABLE", overloaded.error.code());
    Collected broken = decode("{\"candidates\":[");
    assertEquals(502, broken.error.status());
    assertNotEquals(null, broken.error.getMessage());
  }
}
