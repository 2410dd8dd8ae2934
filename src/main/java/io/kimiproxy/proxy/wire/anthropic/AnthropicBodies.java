package io.kimiproxy.proxy.wire.anthropic;

import io.kimiproxy.core.json.JsonIndex;
import io.kimiproxy.core.json.JsonStrings;
import io.kimiproxy.core.json.Span;
import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.core.model.Message;
import io.kimiproxy.core.model.MessageList;
import io.kimiproxy.core.util.ContentKey;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Messages body an Anthropic-format provider gets from an Anthropic client: the client's own
 * bytes, spliced. The model id is replaced; the system prompt and each turn go as they came unless a
 * step changed them (redaction, masking, compaction), in which case only those are encoded again;
 * every other field (thinking and its signatures, cache_control with its ttl, tool ids, fields the
 * proxy has never heard of) is copied byte for byte.
 */
final class AnthropicBodies {
  private AnthropicBodies() {}

  static Buffer spliced(ChatRequest request, String upstreamModel) {
    JsonIndex raw = request.raw();
    byte[] bytes = raw.bytes();
    MessageList messages = request.messages();
    Span system = raw.field("system");
    int lead = leadingSystem(messages, bytes, system);
    Buffer out = Buffer.buffer(bytes.length + 256);
    out.appendString("{\"model\":").appendString(quoted(upstreamModel));
    boolean systemSent = false;
    for (Map.Entry<String, Span> field : raw.fields().entrySet()) {
      String name = field.getKey();
      Span span = field.getValue();
      switch (name) {
        case "model" -> { }
        case "system" -> {
          system(out, messages, lead, bytes, span);
          systemSent = true;
        }
        case "messages" -> {
          key(out, name);
          turns(out, messages, lead, raw, span);
        }
        default -> {
          key(out, name);
          out.appendBytes(bytes, span.start(), span.length());
        }
      }
    }
    if (!systemSent) system(out, messages, lead, bytes, null);
    return out.appendString("}");
  }

  /**
   * How many messages at the start are the top-level system prompt: the one decoded from it, or
   * system messages a step put in its place; a system turn of the client's messages array is not.
   */
  private static int leadingSystem(MessageList messages, byte[] bytes, Span system) {
    int lead = 0;
    while (lead < messages.size() && messages.get(lead).role().instructs()) {
      Span span = messages.span(lead);
      if (span != null && messages.bytes() == bytes && !span.equals(system)) break;
      lead++;
    }
    return lead;
  }

  private static void system(Buffer out, MessageList messages, int lead, byte[] bytes, Span original) {
    if (lead == 0) return;
    key(out, "system");
    if (lead == 1 && original != null && original.equals(messages.span(0)) && messages.bytes() == bytes) {
      out.appendBytes(bytes, original.start(), original.length());
    } else {
      out.appendString(Json.encode(AnthropicTurns.encodeSystem(messages.subList(0, lead))));
    }
  }

  /**
   * Every turn whose neutral messages are all there, unchanged and in order is copied; the messages
   * between such turns are encoded again (the API joins consecutive turns of one role). When every
   * turn was copied, the client's array goes as it came, whitespace and all.
   */
  private static void turns(Buffer out, MessageList messages, int lead, JsonIndex raw, Span array) {
    byte[] bytes = raw.bytes();
    Span system = raw.field("system");
    Buffer turns = Buffer.buffer(array.length() + 64).appendString("[");
    List<Message> changed = new ArrayList<>();
    int copied = 0;
    boolean encoded = false;
    boolean first = true;
    int i = lead;
    while (i < messages.size()) {
      Span span = messages.span(i);
      int end = i;
      if (span != null && messages.bytes() == bytes && !span.equals(system)) {
        while (end < messages.size() && span.equals(messages.span(end))) end++;
      }
      if (end > i && whole(messages, i, end, bytes, span)) {
        encoded |= !changed.isEmpty();
        first = encode(turns, changed, first);
        changed.clear();
        if (!first) turns.appendString(",");
        turns.appendBytes(bytes, span.start(), span.length());
        first = false;
        copied++;
        i = end;
      } else {
        changed.add(messages.get(i));
        i++;
      }
    }
    encoded |= !changed.isEmpty();
    encode(turns, changed, first);
    if (!encoded && copied == raw.elements("messages").size()) {
      out.appendBytes(bytes, array.start(), array.length());
    } else {
      out.appendBuffer(turns.appendString("]"));
    }
  }

  /** Whether messages [from, to) are all the neutral messages of the turn at {@code span}. */
  private static boolean whole(MessageList messages, int from, int to, byte[] bytes, Span span) {
    int n = to - from;
    ContentKey turn = ContentKey.of(bytes, span.start(), span.end());
    return messages.key(from).equals(AnthropicTurns.memberKey(turn, n, 0))
        && messages.key(to - 1).equals(AnthropicTurns.memberKey(turn, n, n - 1));
  }

  /** Appends the changed messages as turns; returns whether nothing has been written to the array yet. */
  private static boolean encode(Buffer out, List<Message> changed, boolean first) {
    if (changed.isEmpty()) return first;
    for (Object turn : AnthropicTurns.encode(changed)) {
      if (!first) out.appendString(",");
      out.appendString(Json.encode(turn));
      first = false;
    }
    return first;
  }

  private static void key(Buffer out, String name) {
    out.appendString(",").appendString(quoted(name)).appendString(":");
  }

  private static String quoted(String text) {
    return JsonStrings.quote(new StringBuilder(text.length() + 2), text).toString();
  }
}
