package io.kimiproxy.proxy.inbound.messages;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * What one Anthropic stream to a client has said so far, shared by the provider's events relayed
 * as they came and the events the proxy writes itself: whether the message has started and ended,
 * the next content block index (indexes count 0, 1, 2... in the order blocks start, whoever wrote
 * them), and the block the proxy itself has open.
 */
final class StreamBlocks {
  /** A block the proxy opened: its kind (text, thinking, tool_use), its index, and for tool_use the call it streams. */
  record Open(String kind, int index, int call) {}

  final String model;
  JsonObject estimate;
  boolean started;
  boolean deltaSent;
  boolean stopped;
  boolean toolUsed;
  Object finishReason;
  private int next;
  private Open open;

  StreamBlocks(String model) {
    this.model = model;
  }

  /** The index of a block starting now. */
  int allocate() {
    return next++;
  }

  Open open() {
    return open;
  }

  /** Opens a block of the proxy's own: its content_block_start. */
  void start(Buffer out, String kind, JsonObject block, int call) {
    close(out);
    open = new Open(kind, allocate(), call);
    if (kind.equals("tool_use")) toolUsed = true;
    event(out, "content_block_start", new JsonObject().put("type", "content_block_start").put("index", open.index())
        .put("content_block", block));
  }

  void delta(Buffer out, JsonObject delta) {
    event(out, "content_block_delta", new JsonObject().put("type", "content_block_delta").put("index", open.index())
        .put("delta", delta));
  }

  /** Ends the proxy's open block, if any. */
  void close(Buffer out) {
    if (open == null) return;
    event(out, "content_block_stop", new JsonObject().put("type", "content_block_stop").put("index", open.index()));
    open = null;
  }

  static void event(Buffer out, String name, JsonObject data) {
    frame(out, name, data.encode());
  }

  /** One server-sent event; a null name writes the data alone, as a provider that sent no event line. */
  static void frame(Buffer out, String name, String data) {
    if (name != null) out.appendString("event: ").appendString(name).appendString("\n");
    out.appendString("data: ").appendString(data).appendString("\n\n");
  }
}
