package io.kimiproxy.features.guardrails;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.proxy.sse.SseEvent;
import io.kimiproxy.proxy.wire.Chunk;
import io.kimiproxy.proxy.wire.ChunkSink;
import io.kimiproxy.proxy.wire.StreamDecoder;
import io.kimiproxy.testing.StrictStreamChecker;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The gate between a decoder and the relay, on hand-made OpenAI chunk streams. */
class ToolCallGateTest {

  /** Blocks the calls whose name it was given; remembers every call it judged. */
  private record Inspection(Set<String> blockedNames, boolean mayBlock, List<ToolCall> judged) implements ToolCallInspection {
    Inspection(Set<String> blockedNames) {
      this(blockedNames, !blockedNames.isEmpty(), new ArrayList<>());
    }

    @Override
    public ToolCallVerdict inspect(ToolCall call) {
      judged.add(call);
      return blockedNames.contains(call.name()) ? ToolCallVerdict.block(call.name() + " (OTHER: test)") : ToolCallVerdict.PASS;
    }
  }

  /** What reached the relay: chunk texts, then [DONE] or the error. */
  private static final class Relay implements ChunkSink {
    final List<String> events = new ArrayList<>();

    @Override
    public void chunk(Chunk chunk) {
      events.add(chunk.wire());
    }

    @Override
    public void done() {
      events.add("[DONE]");
    }

    @Override
    public void error(ProxyError error) {
      events.add(error.toJson().encode());
      events.add("[DONE]");
    }
  }

  /** Relays OpenAI chunks as they are, like the OpenAI decoder. */
  private static final StreamDecoder OPENAI = (event, sink) -> {
    if (event.isDone()) sink.done(); else sink.chunk(Chunk.relayed(new JsonObject(event.data()), event.data()));
  };

  private final Relay relay = new Relay();

  private static String chunk(String delta, String finish) {
    return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":"
        + delta + ",\"finish_reason\":" + (finish == null ? "null" : "\"" + finish + "\"") + "}]}";
  }

  private static String open(int index, String id, String name) {
    return chunk("{\"tool_calls\":[{\"index\":" + index + ",\"id\":\"" + id + "\",\"type\":\"function\",\"function\":{\"name\":\""
        + name + "\",\"arguments\":\"\"}}]}", null);
  }

  private static String args(int index, String fragment) {
    return chunk("{\"tool_calls\":[{\"index\":" + index + ",\"function\":{\"arguments\":" + Json.encode(fragment) + "}}]}", null);
  }

  private static void feed(StreamDecoder gate, ChunkSink sink, String... events) {
    for (String e : events) gate.onEvent(new SseEvent(null, e), sink);
  }

  @Test
  void should_hold_calls_until_complete_and_release_the_allowed_ones_unchanged() {
    Inspection inspection = new Inspection(Set.of("execute_command"));
    StreamDecoder gate = ToolCallGate.around(OPENAI, inspection);
    String text = chunk("{\"role\":\"assistant\",\"content\":\"Let me look.\"}", null);
    String read0 = open(0, "call_a", "read_file");
    String read0Args = args(0, "{\"path\":\"a.txt\"}");
    feed(gate, relay, text, read0, read0Args);
    assertEquals(List.of(text), relay.events, "content goes on at once; the call waits for its end");

    feed(gate, relay, open(1, "call_b", "execute_command"), args(1, "{\"command\":\"rm -rf /\"}"));
    assertEquals(List.of(text, read0, read0Args), relay.events, "the next call's start completes the first: released as it came");

    String list2 = open(2, "call_c", "list_files");
    String list2Args = args(2, "{\"path\":\".\"}");
    feed(gate, relay, list2, list2Args, chunk("{}", "tool_calls"), "[DONE]");
    StrictStreamChecker.Result result = StrictStreamChecker.check(relay.events, false);
    assertEquals(List.of("call_a", "call_c"), result.toolCalls().stream().map(c -> c.getString("id")).toList());
    assertEquals(List.of("tool_calls"), result.finishReasons());
    assertTrue(result.content().startsWith("Let me look.\n\nKimi Proxy blocked a tool call: execute_command (OTHER: test)."),
        result.content());
    // The third call is the client's second: renumbered to 1, so its list of calls has no hole.
    assertEquals(1, new JsonObject(relay.events.get(4)).getJsonArray("choices").getJsonObject(0).getJsonObject("delta")
        .getJsonArray("tool_calls").getJsonObject(0).getInteger("index"));
    assertEquals("{\"command\":\"rm -rf /\"}", inspection.judged().get(1).arguments());
  }

  @Test
  void should_turn_an_answer_whose_calls_were_all_blocked_into_a_stopped_text_answer() {
    StreamDecoder gate = ToolCallGate.around(OPENAI, new Inspection(Set.of("write_to_file")));
    feed(gate, relay, chunk("{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,\"id\":\"w1\",\"type\":\"function\","
            + "\"function\":{\"name\":\"write_to_file\",\"arguments\":\"\"}}]}", null),
        args(0, "{\"path\":\".env\","), args(0, "\"content\":\"A=1\"}"), chunk("{}", "tool_calls"), "[DONE]");
    StrictStreamChecker.Result result = StrictStreamChecker.check(relay.events, false);
    assertTrue(result.toolCalls().isEmpty());
    assertEquals(List.of("stop"), result.finishReasons());
    assertTrue(result.content().startsWith("Kimi Proxy blocked a tool call: write_to_file (OTHER: test)."), result.content());
    // The role rode on the dropped chunk: the notice carries it.
    assertEquals("assistant", new JsonObject(relay.events.get(0)).getJsonArray("choices").getJsonObject(0)
        .getJsonObject("delta").getString("role"));
  }

  @Test
  void should_relay_every_chunk_as_it_comes_when_no_rule_can_block() {
    Inspection inspection = new Inspection(Set.of());
    StreamDecoder gate = ToolCallGate.around(OPENAI, inspection);
    String mixed = chunk("{\"role\":\"assistant\",\"content\":\"Looking.\",\"tool_calls\":["
        + "{\"index\":0,\"id\":\"g0\",\"type\":\"function\",\"function\":{\"name\":\"read_file\",\"arguments\":\"{}\"}},"
        + "{\"index\":1,\"id\":\"g1\",\"type\":\"function\",\"function\":{\"name\":\"execute_command\",\"arguments\":\"{\\\"command\\\":\"}}]}", null);
    List<String> stream = List.of(mixed, args(1, "\"ls\"}"), open(2, "call_c", "read_file"), args(2, "{}"),
        chunk("{}", "tool_calls"));
    for (String event : stream) {
      feed(gate, relay, event);
      assertEquals(event, relay.events.get(relay.events.size() - 1), "nothing waits, nothing is split");
    }
    feed(gate, relay, "[DONE]");
    assertEquals(stream.size() + 1, relay.events.size());
    assertEquals(List.of("{}", "{\"command\":\"ls\"}", "{}"), inspection.judged().stream().map(ToolCall::arguments).toList());
  }

  @Test
  void should_split_a_chunk_that_carries_text_and_several_whole_calls() {
    StreamDecoder gate = ToolCallGate.around(OPENAI, new Inspection(Set.of("delete_file")));
    String mixed = chunk("{\"role\":\"assistant\",\"content\":\"Cleaning up.\",\"tool_calls\":["
        + "{\"index\":0,\"id\":\"g0\",\"type\":\"function\",\"function\":{\"name\":\"list_files\",\"arguments\":\"{}\"}},"
        + "{\"index\":1,\"id\":\"g1\",\"type\":\"function\",\"function\":{\"name\":\"delete_file\",\"arguments\":\"{\\\"path\\\":\\\"a\\\"}\"}}]}", null);
    feed(gate, relay, mixed);
    assertEquals("Cleaning up.", new JsonObject(relay.events.get(0)).getJsonArray("choices").getJsonObject(0)
        .getJsonObject("delta").getString("content"));
    feed(gate, relay, chunk("{}", "tool_calls"), "[DONE]");
    StrictStreamChecker.Result result = StrictStreamChecker.check(relay.events, false);
    assertEquals(List.of("g0"), result.toolCalls().stream().map(c -> c.getString("id")).toList());
    assertTrue(result.content().startsWith("Cleaning up.\n\nKimi Proxy blocked a tool call: delete_file"), result.content());
    assertEquals(List.of("tool_calls"), result.finishReasons());
  }

  @Test
  void should_drop_held_calls_when_the_stream_fails() {
    StreamDecoder gate = ToolCallGate.around(OPENAI, new Inspection(Set.of("x")));
    feed(gate, relay, open(0, "call_a", "read_file"), args(0, "{\"path\":"));
    ((ChunkSink) gate).error(ProxyError.badUpstreamResponse("p", "broken"));
    StrictStreamChecker.Result result = StrictStreamChecker.check(relay.events, false);
    assertTrue(result.toolCalls().isEmpty());
    assertFalse(result.error() == null);
  }

  @Test
  void should_judge_and_release_a_call_still_open_when_the_provider_closes_without_a_finish() {
    Inspection inspection = new Inspection(Set.of("x"));
    StreamDecoder gate = ToolCallGate.around(OPENAI, inspection);
    feed(gate, relay, open(0, "call_a", "read_file"), args(0, "{\"path\":\"a\"}"));
    gate.onEnd(relay);
    assertEquals(1, inspection.judged().size());
    assertEquals(2, relay.events.size());
    assertEquals("{\"path\":\"a\"}", inspection.judged().get(0).arguments());
  }
}
