package io.kimiproxy.proxy.inbound.messages;

import io.kimiproxy.proxy.wire.Chunk;
import io.kimiproxy.proxy.wire.NativeEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Relays an Anthropic provider's own events to an Anthropic client, in the provider's order, while
 * the proxy's steps watch the chunks decoded from them.
 *
 * <p>Every event comes with one chunk, numbered in stream order. The guardrails hold a tool call's
 * chunks until the call is complete and judged, then release them or drop them (and explain the
 * block in a text of their own, before the message's end); everything else passes at once. So an
 * event whose number is missing is part of a held tool_use block: later events wait behind it. It
 * is known to be dropped once a later tool call or the message's finish comes through (the
 * guardrails judge calls in order, and before the finish), or the proxy writes text of its own.
 * Blocks after a dropped one move down one index; events whose chunk a step changed are written
 * again from what the chunk now says (a stop reason that is no longer tool_use); every other event
 * goes out as the provider wrote it.
 */
final class NativeOrder {
  private final StreamBlocks blocks;
  private final TreeMap<Long, Chunk> waiting = new TreeMap<>();
  private final Map<Integer, Integer> indexes = new HashMap<>();
  private long next;
  private long droppedBelow;
  private boolean active;

  NativeOrder(StreamBlocks blocks) {
    this.blocks = blocks;
  }

  /** Whether the provider's events are being relayed (the provider speaks the client's API). */
  boolean active() {
    return active;
  }

  void accept(Chunk chunk, Buffer out) {
    active = true;
    long sequence = chunk.origin().sequence();
    if (sequence < next) return; // a number already given up as dropped: the guardrails only drop, never late-release
    waiting.put(sequence, chunk);
    if (settles(chunk.json())) droppedBelow = Math.max(droppedBelow, sequence);
    drain(out);
  }

  /** Everything held so far has been judged (the proxy is about to write text of its own, or the end). */
  void settle(Buffer out) {
    if (!waiting.isEmpty()) droppedBelow = Math.max(droppedBelow, waiting.lastKey());
    drain(out);
  }

  /** The stream broke: what still waits behind a call never judged is not sent. */
  void abandon() {
    waiting.clear();
  }

  private void drain(Buffer out) {
    while (!waiting.isEmpty()) {
      long first = waiting.firstKey();
      if (first != next && first > droppedBelow) return;
      next = first + 1;
      write(waiting.pollFirstEntry().getValue(), out);
    }
  }

  private void write(Chunk chunk, Buffer out) {
    NativeEvent event = chunk.origin();
    JsonObject json = event.json();
    String type = json.getValue("type") instanceof String t ? t : String.valueOf(event.name());
    Integer index = json.getValue("index") instanceof Number n ? n.intValue() : null;
    Integer client = index;
    switch (type) {
      case "message_start" -> blocks.started = true;
      case "content_block_start" -> {
        blocks.close(out); // the proxy's own block (a guardrail notice) ends before the provider's go on
        client = blocks.allocate();
        indexes.put(index, client);
      }
      case "content_block_delta", "content_block_stop" -> {
        client = indexes.get(index);
        if (client == null) return; // its block was dropped
      }
      case "message_delta" -> {
        blocks.close(out);
        blocks.deltaSent = true;
      }
      case "message_stop" -> blocks.stopped = true;
      default -> { }
    }
    boolean moved = index != null && !index.equals(client);
    if (!moved && !chunk.edited()) {
      StreamBlocks.frame(out, event.name(), event.data());
      return;
    }
    JsonObject rewritten = json.copy();
    if (moved) rewritten.put("index", client);
    if (chunk.edited()) NativeEdits.apply(type, rewritten, chunk.json());
    StreamBlocks.frame(out, event.name(), rewritten.encode());
  }

  /** A tool call or the finish got through: the guardrails have judged every call before it. */
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
