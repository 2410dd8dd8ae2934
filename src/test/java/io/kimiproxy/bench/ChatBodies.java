package io.kimiproxy.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * Request bodies of a fixed encoded size, shaped like an IDE turn: a system prompt, an earlier
 * exchange and a new user message. Only the new message differs from one request to the next
 * (it carries the request's number), so the proxy counts its tokens afresh while the history hits
 * its per-message cache, as with a real conversation. The driver sends the same bytes to the
 * upstream directly and to the proxy; the upstream ignores the model name.
 */
final class ChatBodies {
  static final String MODEL = "bench/model";
  private static final String MARK = "#SEQ####";
  private static final int PART = 2000;

  private final byte[] prefix;
  private final byte[] suffix;

  private ChatBodies(byte[] prefix, byte[] suffix) {
    this.prefix = prefix;
    this.suffix = suffix;
  }

  /** Bodies of {@code size} bytes (within a few bytes: code text escapes unevenly). */
  static ChatBodies of(Corpus corpus, int size, boolean stream) {
    int last = size - 3 * PART;
    String encoded = encode(corpus, stream, last);
    for (int i = 0; i < 20 && Math.abs(encoded.length() - size) > 8; i++) {
      last += size - encoded.length();
      encoded = encode(corpus, stream, last);
    }
    int at = encoded.indexOf(MARK);
    return new ChatBodies(encoded.substring(0, at).getBytes(StandardCharsets.UTF_8),
        encoded.substring(at + MARK.length()).getBytes(StandardCharsets.UTF_8));
  }

  /** The body of request number {@code seq}: the template with the number in the new message. */
  Buffer body(long seq) {
    return Buffer.buffer(prefix.length + MARK.length() + suffix.length)
        .appendBytes(prefix)
        .appendString(String.format("%08d", seq % 100_000_000))
        .appendBytes(suffix);
  }

  int size() {
    return prefix.length + MARK.length() + suffix.length;
  }

  private static String encode(Corpus corpus, boolean stream, int lastLength) {
    JsonArray messages = new JsonArray()
        .add(message("system", "You are a coding assistant. Project files follow.\n" + corpus.slice(0, PART)))
        .add(message("user", "Explain this code:\n" + corpus.slice(PART, PART)))
        .add(message("assistant", "It does the following:\n" + corpus.slice(2 * PART, PART)))
        .add(message("user", "Request " + MARK + ": now review this:\n" + corpus.slice(3 * PART, Math.max(0, lastLength))));
    return new JsonObject().put("model", MODEL).put("stream", stream).put("messages", messages).encode();
  }

  private static JsonObject message(String role, String content) {
    return new JsonObject().put("role", role).put("content", content);
  }
}
