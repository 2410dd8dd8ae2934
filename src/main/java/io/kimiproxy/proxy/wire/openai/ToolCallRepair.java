package io.kimiproxy.proxy.wire.openai;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Makes tool calls look the way OpenAI sends them, whatever the server sent: in a stream every call
 * fragment has an index (Mistral sends complete parallel calls without one) and each call's first
 * fragment has a non-empty id (Gemini's compatibility endpoint sends "") and a type. Indexes are
 * renumbered densely in the order calls open, per choice, and a fragment that brings a new id to an
 * index already in use opens a new call instead of running into the first one.
 *
 * <p>Generated ids are {@code call_<tag>_<index>}: stable for the whole answer, and unique across
 * the turns of a conversation (the tag is random per answer) because some providers reject a
 * history that repeats a tool-call id. One instance per answer.
 */
final class ToolCallRepair {
  private final String tag = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE).substring(0, 8);
  private final Map<Integer, ChoiceCalls> choices = new HashMap<>();

  /** The calls opened so far in one choice of a stream. */
  private static final class ChoiceCalls {
    final Map<Integer, Integer> byUpstreamIndex = new HashMap<>();
    final Map<Integer, String> ids = new HashMap<>();
    int next;
    int last = -1;
  }

  /** Repairs the tool-call fragments of one streamed delta; true when anything changed. */
  boolean repairDelta(int choiceIndex, JsonObject delta) {
    if (!(delta.getValue("tool_calls") instanceof JsonArray calls)) return false;
    ChoiceCalls state = choices.computeIfAbsent(choiceIndex, k -> new ChoiceCalls());
    boolean changed = false;
    for (Object item : calls) {
      if (item instanceof JsonObject call) changed |= repairFragment(state, call);
    }
    return changed;
  }

  /** Repairs the complete tool calls of a non-streamed message; true when anything changed. */
  boolean repairMessage(JsonObject message) {
    if (!(message.getValue("tool_calls") instanceof JsonArray calls)) return false;
    boolean changed = false;
    for (int i = 0; i < calls.size(); i++) {
      if (calls.getValue(i) instanceof JsonObject call) {
        if (nonEmptyId(call) == null) {
          call.put("id", generatedId(i));
          changed = true;
        }
        changed |= ensureType(call);
      }
    }
    return changed;
  }

  private boolean repairFragment(ChoiceCalls state, JsonObject call) {
    Integer upstream = call.getValue("index") instanceof Number n ? n.intValue() : null;
    String id = nonEmptyId(call);
    boolean named = call.getValue("function") instanceof JsonObject fn
        && fn.getValue("name") instanceof String name && !name.isEmpty();
    Integer known = upstream != null ? state.byUpstreamIndex.get(upstream)
        : id == null && !named && state.last >= 0 ? Integer.valueOf(state.last) : null;
    boolean opens = known == null || id != null && !id.equals(state.ids.get(known));
    int index = opens ? state.next++ : known;
    if (upstream != null) state.byUpstreamIndex.put(upstream, index);
    state.last = index;
    boolean changed = false;
    if (upstream == null || upstream != index) {
      call.put("index", index);
      changed = true;
    }
    if (opens) {
      if (id == null) {
        id = generatedId(index);
        call.put("id", id);
        changed = true;
      }
      state.ids.put(index, id);
      changed |= ensureType(call);
    } else if (call.containsKey("id") && id == null) {
      call.remove("id"); // an empty id on a later fragment would read as a different call to strict clients
      changed = true;
    }
    return changed;
  }

  private String generatedId(int index) {
    return "call_" + tag + "_" + index;
  }

  private static String nonEmptyId(JsonObject call) {
    return call.getValue("id") instanceof String s && !s.isEmpty() ? s : null;
  }

  private static boolean ensureType(JsonObject call) {
    if (call.getValue("type") instanceof String) return false;
    call.put("type", "function");
    return true;
  }
}
