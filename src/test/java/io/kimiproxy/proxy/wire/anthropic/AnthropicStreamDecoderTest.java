package io.kimiproxy.proxy.wire.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.proxy.sse.SseEvent;
import io.kimiproxy.proxy.sse.SseParser;
import io.kimiproxy.proxy.wire.Chunk;
import io.kimiproxy.proxy.wire.ChunkSink;
import io.kimiproxy.testing.Fixtures;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicStreamDecoderTest {

  /** Records what the decoder sent, in order. */
  private static final class Recorder implements ChunkSink {
    final List<JsonObject> chunks = new ArrayList<>();
    boolean done;
    ProxyError error;

    @Override public void chunk(Chunk chunk) {
      chunks.add(new JsonObject(chunk.wire()));
    }

    @Override public void done() {
      done = true;
    }

    @Override public void error(ProxyError e) {
      error = e;
    }

    List<JsonObject> deltas() {
      List<JsonObject> out = new ArrayList<>();
      for (JsonObject c : chunks) {
        JsonArray choices = c.getJsonArray("choices");
        if (!choices.isEmpty()) out.add(choices.getJsonObject(0).getJsonObject("delta"));
      }
      return out;
    }

    String joined(String field) {
      StringBuilder out = new StringBuilder();
      deltas().forEach(d -> out.append(d.getString(field, "")));
      return out.toString();
    }
  }

  private static Recorder decode(String sse, boolean end) {
    AnthropicStreamDecoder decoder = new AnthropicStreamDecoder("anthropic", 42L);
    Recorder recorder = new Recorder();
    List<SseEvent> events = new ArrayList<>();
    SseParser parser = new SseParser(events::add);
    parser.feed(Buffer.buffer(sse));
    parser.end();
    for (SseEvent event : events) {
      if (recorder.done || recorder.error != null) break;
      decoder.onEvent(event, recorder);
    }
    if (end && !recorder.done && recorder.error == null) decoder.onEnd(recorder);
    return recorder;
  }

  private static Recorder decodeFixture(String name) {
    return decode(Fixtures.text("anthropic/" + name), true);
  }

  @Test
  void should_open_with_the_assistant_role_and_end_with_one_usage_chunk() {
    Recorder r = decodeFixture("stream-text-basic.sse");
    assertTrue(r.done);
    JsonObject first = r.chunks.get(0);
    assertEquals("msg_017A4s3HAsrqf5d2WvBmrpLr", first.getString("id"));
    assertEquals("chat.completion.chunk", first.getString("object"));
    assertEquals("claude-sonnet-4-5-20250929", first.getString("model"));
    assertEquals(42L, first.getLong("created"));
    assertEquals(new JsonObject().put("role", "assistant").put("content", ""), r.deltas().get(0));
    assertEquals("- Captain\n- Scoop", r.joined("content"));
    JsonObject last = r.chunks.get(r.chunks.size() - 1);
    assertEquals(new JsonArray(), last.getJsonArray("choices"));
    assertEquals(17L, last.getJsonObject("usage").getLong("prompt_tokens"));
    assertEquals(10L, last.getJsonObject("usage").getLong("completion_tokens"));
    JsonObject finish = r.chunks.get(r.chunks.size() - 2).getJsonArray("choices").getJsonObject(0);
    assertEquals("stop", finish.getString("finish_reason"));
  }

  @Test
  void should_number_tool_calls_among_themselves_and_skip_empty_argument_fragments() {
    Recorder r = decodeFixture("stream-text-then-tool-use-input-json-delta.sse");
    List<JsonObject> calls = new ArrayList<>();
    r.deltas().forEach(d -> {
      if (d.getValue("tool_calls") instanceof JsonArray a) calls.add(a.getJsonObject(0));
    });
    JsonObject open0 = calls.get(0);
    assertEquals(0, open0.getInteger("index"));
    assertEquals("toolu_014x5X91kx3fvdhpLvwXZWE2", open0.getString("id"));
    assertEquals("get_weather", open0.getJsonObject("function").getString("name"));
    StringBuilder args0 = new StringBuilder();
    StringBuilder args1 = new StringBuilder();
    for (JsonObject call : calls) {
      String fragment = call.getJsonObject("function").getString("arguments");
      if (call.getInteger("index") == 0 && !call.containsKey("id")) {
        assertTrue(!fragment.isEmpty(), "an empty fragment was sent");
        args0.append(fragment);
      }
      if (call.getInteger("index") == 1) {
        if (call.containsKey("id")) assertEquals("get_time", call.getJsonObject("function").getString("name"));
        args1.append(fragment);
      }
    }
    assertEquals(new JsonObject().put("location", "San Francisco, CA").put("unit", "celsius"), new JsonObject(args0.toString()));
    assertEquals(new JsonObject().put("timezone", "America/Los_Angeles"), new JsonObject(args1.toString()));
    JsonObject finish = r.chunks.get(r.chunks.size() - 2).getJsonArray("choices").getJsonObject(0);
    assertEquals("tool_calls", finish.getString("finish_reason"));
    // message_delta carried only output_tokens: the input counts come from message_start.
    assertEquals(new JsonObject("""
        {"prompt_tokens":506,"completion_tokens":153,"total_tokens":659,
         "prompt_tokens_details":{"cached_tokens":0,"cache_creation_tokens":0}}"""),
        r.chunks.get(r.chunks.size() - 1).getJsonObject("usage"));
  }

  @Test
  void should_stream_thinking_as_reasoning_content_then_hand_over_the_signed_block() {
    Recorder r = decodeFixture("stream-thinking-signature-text.sse");
    String reasoning = r.joined("reasoning_content");
    assertTrue(reasoning.startsWith("The user wants two names"), reasoning);
    List<JsonObject> blocks = new ArrayList<>();
    r.deltas().forEach(d -> {
      if (d.getValue("thinking_blocks") instanceof JsonArray a) a.forEach(b -> blocks.add((JsonObject) b));
    });
    assertEquals(1, blocks.size());
    assertEquals(reasoning, blocks.get(0).getString("thinking"));
    assertTrue(blocks.get(0).getString("signature").startsWith("EuYDCmMIDBgCKkC05Zda4P"));
    assertEquals("1. **Pouch** - references their iconic bill pouch\n2. **Pelé** - playful take on \"pelican\"", r.joined("content"));
  }

  @Test
  void should_finish_with_stop_on_a_stop_sequence() {
    Recorder r = decodeFixture("stream-stop-sequence.sse");
    assertEquals("stop", r.chunks.get(r.chunks.size() - 2).getJsonArray("choices").getJsonObject(0).getString("finish_reason"));
    assertEquals(28L, r.chunks.get(r.chunks.size() - 1).getJsonObject("usage").getLong("completion_tokens"));
  }

  @Test
  void should_report_an_overloaded_error_event_as_a_529() {
    Recorder r = decodeFixture("stream-error-event-overloaded.sse");
    assertEquals(529, r.error.status());
    assertEquals("overloaded_error", r.error.type());
    assertEquals("Overloaded", r.error.getMessage());
    assertTrue(r.error.retriable());
  }

  @Test
  void should_report_a_stream_cut_before_the_stop_reason_as_a_bad_upstream_response() {
    String whole = Fixtures.text("anthropic/stream-text-basic.sse");
    Recorder r = decode(whole.substring(0, whole.indexOf("event: content_block_stop")), true);
    assertEquals(502, r.error.status());
    assertEquals("bad_upstream_response", r.error.code());
  }

  @Test
  void should_finish_normally_when_only_message_stop_is_missing() {
    String whole = Fixtures.text("anthropic/stream-text-basic.sse");
    Recorder r = decode(whole.substring(0, whole.indexOf("event: message_stop")), true);
    assertNull(r.error);
    assertTrue(r.done);
    assertEquals(10L, r.chunks.get(r.chunks.size() - 1).getJsonObject("usage").getLong("completion_tokens"));
  }

  @Test
  void should_report_an_event_that_is_not_json() {
    Recorder r = decode("event: message_start\ndata: {\"type\":\"message_start\",\n\n", false);
    assertEquals("bad_upstream_response", r.error.code());
  }
}
