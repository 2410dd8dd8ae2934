package io.kimiproxy.proxy.inbound.responses;

import io.kimiproxy.proxy.wire.Chunk;
import io.kimiproxy.proxy.wire.NativeEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Relays a Responses provider's own events to a Responses client, in the provider's order and as
 * the provider wrote them, while the proxy's steps watch the chunks decoded from them.
 *
 * <p>Every event comes with one chunk, numbered in stream order. The guardrails hold a function
 * call's chunks (all its events: added, argument deltas, done) until the call is judged, then
 * release or drop them; everything else passes at once. An event whose number is missing is part of
 * a held call, so later events wait behind it; it is known to be dropped once a later call or the
 * finish comes through (the guardrails judge calls in order, and before the finish), or the proxy
 * writes text of its own. Output items after a dropped one move down an index; an event keeps the
 * provider's bytes unless its sequence number or output index had to change, and the final
 * {@code response.completed} lists the output as the client received it when that differs from the
 * provider's.
 */
final class NativeRelay {
  private static final String ADDED = "response.output_item.added";
  private static final String DONE = "response.output_item.done";
  private final ResponseEvents events;
  private final TreeMap<Long, Chunk> waiting = new TreeMap<>();
  /** The provider's output index of each item relayed, to the client's. */
  private final Map<Integer, Integer> indexes = new HashMap<>();
  private long next;
  private long droppedBelow = -1;
  private boolean active;
  private boolean terminal;

  NativeRelay(ResponseEvents events) {
    this.events = events;
  }

  /** Whether the provider's events are being relayed (it serves the client's API). */
  boolean active() {
    return active;
  }

  /** Whether the provider's final event (completed, incomplete, failed) has been relayed. */
  boolean terminal() {
    return terminal;
  }

  /** @param beforeProvider closes what the proxy itself was writing before a provider event goes out */
  void accept(Chunk chunk, Buffer out, Consumer<Buffer> beforeProvider) {
    active = true;
    long sequence = chunk.origin().sequence();
    if (sequence < next) return; // a number already given up as dropped: the guardrails never release late
    waiting.put(sequence, chunk);
    if (settles(chunk.json())) droppedBelow = Math.max(droppedBelow, sequence);
    drain(out, beforeProvider);
  }

  /** Everything held so far has been judged (the proxy is about to write text of its own, or the end). */
  void settle(Buffer out, Consumer<Buffer> beforeProvider) {
    if (!waiting.isEmpty()) droppedBelow = Math.max(droppedBelow, waiting.lastKey());
    drain(out, beforeProvider);
  }

  /** The stream broke: what still waits behind a call never judged is not sent. */
  void abandon() {
    waiting.clear();
  }

  private void drain(Buffer out, Consumer<Buffer> beforeProvider) {
    while (!waiting.isEmpty()) {
      long first = waiting.firstKey();
      if (first != next && first > droppedBelow) return;
      next = first + 1;
      beforeProvider.accept(out);
      write(waiting.pollFirstEntry().getValue().origin(), out);
    }
  }

  private void write(NativeEvent event, Buffer out) {
    JsonObject json = event.json();
    String type = json.getValue("type") instanceof String t ? t : String.valueOf(event.name());
    Integer provided = json.getValue("output_index") instanceof Number n ? n.intValue() : null;
    Integer client = provided;
    boolean outputChanged = false;
    if (type.equals(ADDED)) {
      client = events.allocate();
      indexes.put(provided, client);
    } else if (type.equals("response.completed") || type.equals("response.incomplete")
        || type.equals("response.failed")) {
      terminal = true;
      outputChanged = json.getValue("response") instanceof JsonObject r && r.getValue("output") instanceof JsonArray o
          && (o.size() != indexes.size() || events.allocated() != indexes.size());
    } else if (provided != null) {
      client = indexes.get(provided);
      if (client == null) return; // an event of an item the guardrails dropped
    }
    if (type.equals(DONE) && json.getValue("item") instanceof JsonObject item) events.done(client, item);
    long sequence = events.nextSequence();
    boolean renumbered = !(json.getValue("sequence_number") instanceof Number n && n.longValue() == sequence);
    boolean moved = provided != null && !provided.equals(client);
    String name = event.name() != null ? event.name() : type;
    if (!renumbered && !moved && !outputChanged) {
      ResponseEvents.frame(out, name, event.data());
      return;
    }
    JsonObject rewritten = json.copy().put("sequence_number", sequence);
    if (moved) rewritten.put("output_index", client);
    if (outputChanged) rewritten.getJsonObject("response").put("output", events.output());
    ResponseEvents.frame(out, name, rewritten.encode());
  }

  /** A function call or the finish got through: the guardrails have judged every call before it. */
  private static boolean settles(JsonObject chunk) {
    if (!(chunk.getValue("choices") instanceof JsonArray choices)) return false;
    for (Object c : choices) {
      if (!(c instanceof JsonObject choice)) continue;
      if (choice.getValue("finish_reason") instanceof String) return true;
      if (choice.getValue("delta") instanceof JsonObject delta && delta.getValue("tool_calls") instanceof JsonArray calls
          && !calls.isEmpty()) {
        return true;
      }
    }
    return false;
  }
}
