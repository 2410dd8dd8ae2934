package io.kimiproxy.features.guardrails;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.proxy.sse.SseEvent;
import io.kimiproxy.proxy.wire.Chunk;
import io.kimiproxy.proxy.wire.ChunkSink;
import io.kimiproxy.proxy.wire.StreamDecoder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stands between a provider's stream decoder and the relay and lets no tool call reach the client
 * before it has been judged. Every adapter produces OpenAI chunks, so this works the same for all
 * wire formats.
 *
 * <ul>
 *   <li>Content, reasoning and every other chunk go on at once; only tool-call deltas wait.</li>
 *   <li>A call is complete when the next call of its choice starts, when its choice finishes, or
 *       when the stream ends. It is then judged, and its held chunks go out unchanged (renumbered
 *       only if an earlier call of the answer was removed, so indexes stay 0, 1, 2...) or are
 *       dropped.</li>
 *   <li>For blocked calls the choice gets an assistant text telling what was blocked and why,
 *       before its finish; when all of its calls were blocked, "tool_calls" becomes "stop".</li>
 *   <li>When no rule can block (all actions are log), nothing is held: calls are judged and
 *       recorded as they complete, and the stream reaches the client exactly as it would
 *       without the gate.</li>
 *   <li>On an error in the stream, calls still held are dropped: they were never judged whole.</li>
 * </ul>
 * Chunks carrying one tool-call delta and nothing else are held and released as they came (the
 * provider's bytes); chunks mixing several things are split into chunks of one thing each.
 */
public final class ToolCallGate implements StreamDecoder, ChunkSink {
  private final StreamDecoder decoder;
  private final ToolCallInspection inspection;
  private final boolean hold;
  private final Map<Integer, Turn> turns = new TreeMap<>();
  private ChunkSink out;
  private JsonObject lastChunk;
  private boolean ended;

  /** One call being received. */
  private static final class Call {
    final int index;
    String id;
    String name = "";
    final StringBuilder arguments = new StringBuilder();
    final List<Chunk> held = new ArrayList<>();

    Call(int index) {
      this.index = index;
    }

    void add(JsonObject entry) {
      if (id == null && entry.getValue("id") instanceof String s && !s.isEmpty()) id = s;
      if (entry.getValue("function") instanceof JsonObject fn) {
        if (name.isEmpty() && fn.getValue("name") instanceof String s) name = s;
        Object args = fn.getValue("arguments");
        if (args instanceof String s) arguments.append(s);
        else if (args instanceof JsonObject o) arguments.append(o.encode());
      }
    }
  }

  /** What one choice of the answer has been through. */
  private static final class Turn {
    Call open;
    /** For each judged call: its index as sent to the client, or -1 when it was removed. */
    final Map<Integer, Integer> sentAs = new HashMap<>();
    final List<String> notices = new ArrayList<>();
    int removed;
    int passed;
    boolean contentSent;
    boolean roleSent;

    boolean pending() {
      return open != null || !notices.isEmpty();
    }

    void sent(JsonObject delta) {
      if (delta == null) return;
      if (delta.getValue("content") instanceof String s && !s.isEmpty()) contentSent = true;
      if (delta.getValue("role") != null) roleSent = true;
    }
  }

  private ToolCallGate(StreamDecoder decoder, ToolCallInspection inspection) {
    this.decoder = decoder;
    this.inspection = inspection;
    this.hold = inspection.mayBlock();
  }

  /** The decoder with a gate in front of it, or the decoder itself when nothing is inspected. */
  public static StreamDecoder around(StreamDecoder decoder, ToolCallInspection inspection) {
    return inspection == null ? decoder : new ToolCallGate(decoder, inspection);
  }

  @Override
  public void onEvent(SseEvent event, ChunkSink sink) {
    out = sink;
    decoder.onEvent(event, this);
  }

  @Override
  public void onEnd(ChunkSink sink) {
    out = sink;
    decoder.onEnd(this);
    // The relay ends the stream right after this: what is still held is judged now.
    if (!ended) settleAll();
  }

  @Override
  public void done() {
    if (ended) return;
    settleAll();
    ended = true;
    out.done();
  }

  @Override
  public void error(ProxyError error) {
    if (ended) return;
    ended = true;
    turns.clear();
    out.error(error);
  }

  @Override
  public void chunk(Chunk chunk) {
    if (ended) return;
    JsonObject json = chunk.json();
    if (!(json.getValue("choices") instanceof JsonArray choices) || choices.isEmpty()) {
      out.chunk(chunk); // usage and other choice-less chunks
      return;
    }
    if (!hold) {
      follow(choices);
      out.chunk(chunk);
      return;
    }
    lastChunk = json;
    if (untouched(choices)) {
      choices.forEach(c -> turn(c).sent(delta(c)));
      out.chunk(chunk);
      return;
    }
    if (choices.size() == 1 && choices.getValue(0) instanceof JsonObject choice && onlyToolCalls(delta(choice))) {
      JsonArray calls = calls(delta(choice));
      if (calls != null && calls.size() == 1 && finish(choice) == null && calls.getValue(0) instanceof JsonObject entry) {
        fragment(turn(choice), entry, chunk);
        return;
      }
      if (calls == null) {
        finish(turn(choice), choice, chunk);
        return;
      }
    }
    split(json, choices);
  }

  /** Nothing in these choices concerns a call: no tool-call delta, no finish with a call pending. */
  private boolean untouched(JsonArray choices) {
    for (Object c : choices) {
      if (calls(delta(c)) != null || (finish(c) != null && turn(c).pending())) return false;
    }
    return true;
  }

  /** A chunk mixing things: its text goes on, each call fragment and each finish becomes a chunk of its own. */
  private void split(JsonObject json, JsonArray choices) {
    for (Object c : choices) {
      if (!(c instanceof JsonObject choice)) continue;
      Turn turn = turn(choice);
      int index = index(choice);
      JsonObject delta = delta(choice);
      JsonArray calls = calls(delta);
      if (delta != null) {
        JsonObject rest = delta.copy();
        rest.remove("tool_calls");
        if (!onlyToolCalls(rest) || rest.getValue("role") != null) send(turn, index, rest, null);
      }
      if (calls != null) {
        for (Object entry : calls) {
          if (entry instanceof JsonObject e) {
            fragment(turn, e, Chunk.built(frame(index, new JsonObject().put("tool_calls", new JsonArray().add(e)), null)));
          }
        }
      }
      String reason = finish(choice);
      if (reason != null) {
        JsonObject finishChunk = frame(index, new JsonObject(), reason);
        finish(turn, finishChunk.getJsonArray("choices").getJsonObject(0), Chunk.built(finishChunk));
      }
    }
    if (json.getValue("usage") instanceof JsonObject usage) {
      out.chunk(Chunk.built(envelope().put("choices", new JsonArray()).put("usage", usage)));
    }
  }

  /** When nothing can be blocked the gate only watches: calls are judged as they complete, chunks pass untouched. */
  private void follow(JsonArray choices) {
    for (Object c : choices) {
      Turn turn = turn(c);
      JsonArray calls = calls(delta(c));
      if (calls != null) {
        for (Object entry : calls) {
          if (entry instanceof JsonObject e) follow(turn, e);
        }
      }
      if (finish(c) != null && turn.open != null) settle(turn);
    }
  }

  /** Adds a fragment to its call, judging the previous call when a new one starts; false for a late fragment. */
  private boolean follow(Turn turn, JsonObject entry) {
    int index = index(turn, entry);
    if (turn.open == null || turn.open.index != index) {
      if (turn.sentAs.containsKey(index)) return false;
      if (turn.open != null) settle(turn);
      turn.open = new Call(index);
    }
    turn.open.add(entry);
    return true;
  }

  private void fragment(Turn turn, JsonObject entry, Chunk chunk) {
    if (follow(turn, entry)) {
      turn.open.held.add(chunk);
      return;
    }
    // A late fragment of a call already judged (providers send calls one after another; just in case).
    int sentAs = turn.sentAs.get(index(turn, entry));
    if (sentAs >= 0) release(turn, chunk, sentAs);
  }

  private static int index(Turn turn, JsonObject entry) {
    return entry.getValue("index") instanceof Number n ? n.intValue() : turn.open != null ? turn.open.index : 0;
  }

  /** Judges the open call of a choice: its chunks go out, or its notice waits for the choice's end. */
  private void settle(Turn turn) {
    Call call = turn.open;
    turn.open = null;
    ToolCallVerdict verdict = inspection.inspect(new ToolCall(call.index, call.id, call.name, call.arguments.toString()));
    if (verdict.blocked()) {
      turn.sentAs.put(call.index, -1);
      turn.removed++;
      turn.notices.add(verdict.notice());
      return;
    }
    int sentAs = call.index - turn.removed;
    turn.sentAs.put(call.index, sentAs);
    turn.passed++;
    call.held.forEach(chunk -> release(turn, chunk, sentAs));
  }

  private void finish(Turn turn, JsonObject choice, Chunk chunk) {
    if (turn.open != null) settle(turn);
    if (!turn.notices.isEmpty()) {
      explain(turn, index(choice));
      if (turn.passed == 0 && "tool_calls".equals(choice.getValue("finish_reason"))) {
        choice.put("finish_reason", "stop");
        chunk.changed();
      }
    }
    turn.sent(delta(choice));
    out.chunk(chunk);
  }

  private void settleAll() {
    turns.forEach((index, turn) -> {
      if (turn.open != null) settle(turn);
      if (!turn.notices.isEmpty()) explain(turn, index);
    });
  }

  private void explain(Turn turn, int index) {
    String text = (turn.contentSent ? "\n\n" : "") + BlockNotice.text(turn.notices);
    JsonObject delta = new JsonObject();
    if (!turn.roleSent) delta.put("role", "assistant");
    send(turn, index, delta.put("content", text), null);
    turn.notices.clear();
  }

  /** Sends a held call fragment, with its index as the client numbers the calls. */
  private void release(Turn turn, Chunk chunk, int sentAs) {
    JsonObject choice = chunk.json().getJsonArray("choices").getJsonObject(0);
    JsonObject entry = calls(delta(choice)).getJsonObject(0);
    if (!(entry.getValue("index") instanceof Number n && n.intValue() == sentAs)) {
      entry.put("index", sentAs);
      chunk.changed();
    }
    turn.sent(delta(choice));
    out.chunk(chunk);
  }

  private void send(Turn turn, int index, JsonObject delta, String finishReason) {
    turn.sent(delta);
    out.chunk(Chunk.built(frame(index, delta, finishReason)));
  }

  private JsonObject frame(int index, JsonObject delta, String finishReason) {
    JsonObject choice = new JsonObject().put("index", index).put("delta", delta).put("finish_reason", finishReason);
    return envelope().put("choices", new JsonArray().add(choice));
  }

  /** The latest chunk's id, object, created, model... for the chunks the gate writes itself. */
  private JsonObject envelope() {
    JsonObject envelope = new JsonObject(new LinkedHashMap<>(lastChunk.getMap()));
    envelope.remove("choices");
    envelope.remove("usage");
    return envelope;
  }

  private Turn turn(Object choice) {
    return turns.computeIfAbsent(index(choice), i -> new Turn());
  }

  private static int index(Object choice) {
    return choice instanceof JsonObject c && c.getValue("index") instanceof Number n ? n.intValue() : 0;
  }

  private static JsonObject delta(Object choice) {
    return choice instanceof JsonObject c && c.getValue("delta") instanceof JsonObject d ? d : null;
  }

  private static String finish(Object choice) {
    return choice instanceof JsonObject c && c.getValue("finish_reason") instanceof String s ? s : null;
  }

  private static JsonArray calls(JsonObject delta) {
    return delta != null && delta.getValue("tool_calls") instanceof JsonArray a && !a.isEmpty() ? a : null;
  }

  /** Whether a delta carries nothing but tool calls and a role (null and empty fields count as nothing). */
  private static boolean onlyToolCalls(JsonObject delta) {
    if (delta == null) return true;
    for (Map.Entry<String, Object> e : delta) {
      Object v = e.getValue();
      if (!e.getKey().equals("tool_calls") && !e.getKey().equals("role") && v != null && !"".equals(v)) return false;
    }
    return true;
  }
}
