package io.kimiproxy.proxy.wire.responses;

import io.kimiproxy.core.json.JsonIndex;
import io.kimiproxy.core.json.JsonStrings;
import io.kimiproxy.core.json.Span;
import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.core.model.MessageList;
import io.kimiproxy.core.model.Role;
import io.kimiproxy.core.util.BoundedCache;
import io.kimiproxy.core.util.ContentKey;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The body a provider that speaks Responses gets: the client's own, spliced. The model id is
 * replaced; {@code input} keeps the client's bytes of every item no step changed, and a message a
 * step changed (a redacted secret, a compaction's summary) is encoded as items anew; every other
 * field (tools of any type, include, store, text, reasoning...) goes as it came.
 *
 * <p>Reasoning items whose encrypted content this provider did not issue are left out: the provider
 * could not read them and would refuse the request ({@link ReasoningIssuers}).
 */
final class ResponsesBodies {
  /** An item with no encrypted reasoning (the cache's answer for most items). */
  private static final String PLAIN = "";
  private final ReasoningIssuers issuers;
  private final BoundedCache<ContentKey, String> encrypted;

  ResponsesBodies(ReasoningIssuers issuers, long cacheBytes) {
    this.issuers = issuers;
    this.encrypted = new BoundedCache<>(cacheBytes, value -> 48L + value.length());
  }

  Buffer spliced(ChatRequest request, String upstreamModel, String provider) {
    JsonIndex raw = request.raw();
    byte[] bytes = raw.bytes();
    MessageList messages = request.messages();
    Span instructions = raw.field("instructions");
    boolean instructionsKept = spanned(messages, bytes, instructions);
    Buffer out = Buffer.buffer(bytes.length + 256);
    out.appendString("{\"model\":").appendString(quoted(upstreamModel));
    for (Map.Entry<String, Span> field : raw.fields().entrySet()) {
      String name = field.getKey();
      Span span = field.getValue();
      switch (name) {
        case "model" -> { }
        case "instructions" -> {
          // A changed instructions message goes into input as a system message, at its place.
          if (instructionsKept) copy(out, name, bytes, span);
        }
        case "input" -> {
          key(out, name);
          input(out, raw, messages, instructions, provider);
        }
        default -> copy(out, name, bytes, span);
      }
    }
    return out.appendString("}");
  }

  private void input(Buffer out, JsonIndex raw, MessageList messages, Span instructions, String provider) {
    byte[] bytes = raw.bytes();
    Span input = raw.field("input");
    List<Span> items = raw.elements("input");
    if (items == null && messages.size() - (spanned(messages, bytes, instructions) ? 1 : 0) == 1
        && spanned(messages, bytes, input)) {
      out.appendBytes(bytes, input.start(), input.length()); // one string, unchanged
      return;
    }
    List<Object> pieces = new ArrayList<>(); // a Span of the client's bytes, or a Buffer encoded anew
    boolean rewritten = false;
    int itemsCopied = 0;
    int lastEnd = -1;
    for (int i = 0; i < messages.size(); i++) {
      Span span = messages.bytes() == bytes ? messages.span(i) : null;
      if (span != null && span.equals(instructions)) continue;
      if (span == null || items == null) {
        // Changed, or the input was one string and a step added to it: the message as items of its own.
        for (JsonObject item : ResponsesItems.encode(messages.get(i))) pieces.add(item.toBuffer());
        rewritten = true;
        continue;
      }
      for (Span item : within(items, span)) {
        itemsCopied++;
        rewritten |= item.start() < lastEnd; // messages moved: the client's array no longer says it
        lastEnd = item.end();
        if (messages.get(i).role() == Role.ASSISTANT && !readable(bytes, item, provider)) {
          rewritten = true;
        } else {
          pieces.add(item);
        }
      }
    }
    if (!rewritten && items != null && itemsCopied == items.size()) {
      out.appendBytes(bytes, input.start(), input.length());
      return;
    }
    out.appendString("[");
    for (int i = 0; i < pieces.size(); i++) {
      if (i > 0) out.appendString(",");
      if (pieces.get(i) instanceof Span item) out.appendBytes(bytes, item.start(), item.length());
      else out.appendBuffer((Buffer) pieces.get(i));
    }
    out.appendString("]");
  }

  /** Whether the provider can take this item: anything but encrypted reasoning another provider issued. */
  private boolean readable(byte[] bytes, Span item, String provider) {
    String blob = encrypted.get(ContentKey.of(bytes, item.start(), item.end()),
        key -> encryptedReasoning(Arrays.copyOfRange(bytes, item.start(), item.end())));
    return blob.isEmpty() || issuers.issuedBy(blob, provider);
  }

  /** The encrypted content of a reasoning item, or {@link #PLAIN}. */
  private static String encryptedReasoning(byte[] item) {
    JsonIndex index = JsonIndex.ofObject(item);
    Span type = index.field("type");
    Span blob = index.field("encrypted_content");
    if (type == null || blob == null || item[blob.start()] != '"') return PLAIN;
    return "reasoning".equals(JsonStrings.decode(item, type)) ? JsonStrings.decode(item, blob) : PLAIN;
  }

  /** Whether some message still has exactly these bytes. */
  private static boolean spanned(MessageList messages, byte[] bytes, Span span) {
    if (span == null || messages.bytes() != bytes) return false;
    for (int i = 0; i < messages.size(); i++) {
      if (span.equals(messages.span(i))) return true;
    }
    return false;
  }

  /** The items of {@code items} that lie inside {@code span} (a message's items are consecutive). */
  private static List<Span> within(List<Span> items, Span span) {
    int low = 0;
    int high = items.size();
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (items.get(mid).start() < span.start()) low = mid + 1; else high = mid;
    }
    int end = low;
    while (end < items.size() && items.get(end).end() <= span.end()) end++;
    return items.subList(low, end);
  }

  private static void copy(Buffer out, String name, byte[] bytes, Span span) {
    key(out, name);
    out.appendBytes(bytes, span.start(), span.length());
  }

  private static void key(Buffer out, String name) {
    out.appendString(",").appendString(quoted(name)).appendString(":");
  }

  private static String quoted(String text) {
    return JsonStrings.quote(new StringBuilder(text.length() + 2), text).toString();
  }
}
