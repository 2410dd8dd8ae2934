package io.kimiproxy.proxy.inbound.messages;

import io.kimiproxy.proxy.wire.anthropic.AnthropicStops;
import io.kimiproxy.proxy.wire.anthropic.AnthropicTools;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The neutral stream (OpenAI chunks) as Anthropic's events: message_start with the prompt's
 * estimated usage and a ping, then one block at a time (reasoning as thinking, text, each tool call
 * as tool_use with its arguments as input_json_delta), then message_delta with the stop reason and
 * the final usage, and message_stop. A block ends when a block of another kind or another call
 * starts, or the message ends.
 */
final class StreamTranslator {
  private static final Logger LOG = Logger.getLogger(StreamTranslator.class.getName());

  private final StreamBlocks blocks;
  private final Set<Integer> calls = new HashSet<>();

  StreamTranslator(StreamBlocks blocks) {
    this.blocks = blocks;
  }

  void accept(JsonObject chunk, Buffer out) {
    if (!blocks.started) start(chunk, out);
    if (!(chunk.getValue("choices") instanceof JsonArray choices)) return;
    for (Object c : choices) {
      // Anthropic answers with one message: only the first choice has a place in it.
      if (!(c instanceof JsonObject choice) || choice.getInteger("index", 0) != 0) continue;
      if (choice.getValue("delta") instanceof JsonObject delta) delta(delta, out);
      if (choice.getValue("finish_reason") instanceof String reason) blocks.finishReason = reason;
    }
  }

  /** The end of a stream that ended well: the open block closes, then the stop reason and the usage. */
  void finish(JsonObject lastChunk, JsonObject usage, Buffer out) {
    if (!blocks.started) start(lastChunk == null ? new JsonObject() : lastChunk, out);
    blocks.close(out);
    if (!blocks.deltaSent) {
      StreamBlocks.event(out, "message_delta", new JsonObject().put("type", "message_delta")
          .put("delta", new JsonObject().put("stop_reason", AnthropicStops.stopReason(blocks.finishReason, blocks.toolUsed))
              .putNull("stop_sequence"))
          .put("usage", MessagesUsage.of(usage)));
      blocks.deltaSent = true;
    }
    if (!blocks.stopped) {
      StreamBlocks.event(out, "message_stop", new JsonObject().put("type", "message_stop"));
      blocks.stopped = true;
    }
  }

  private void start(JsonObject chunk, Buffer out) {
    JsonObject usage = MessagesUsage.of(blocks.estimate);
    JsonObject message = new JsonObject()
        .put("id", MessagesIds.message(chunk.getValue("id")))
        .put("type", "message")
        .put("role", "assistant")
        .put("model", blocks.model)
        .put("content", new JsonArray())
        .putNull("stop_reason")
        .putNull("stop_sequence")
        .put("usage", usage);
    StreamBlocks.event(out, "message_start", new JsonObject().put("type", "message_start").put("message", message));
    StreamBlocks.event(out, "ping", new JsonObject().put("type", "ping"));
    blocks.started = true;
  }

  private void delta(JsonObject delta, Buffer out) {
    Object reasoning = delta.getValue("reasoning_content") != null ? delta.getValue("reasoning_content")
        : delta.getValue("reasoning");
    if (reasoning instanceof String text && !text.isEmpty()) {
      ensure(out, "thinking", new JsonObject().put("type", "thinking").put("thinking", "").put("signature", ""));
      blocks.delta(out, new JsonObject().put("type", "thinking_delta").put("thinking", text));
    }
    if (delta.getValue("thinking_blocks") instanceof JsonArray signed) {
      for (Object b : signed) {
        if (b instanceof JsonObject block) sealed(block, out);
      }
    }
    if (delta.getValue("content") instanceof String text && !text.isEmpty()) {
      ensure(out, "text", new JsonObject().put("type", "text").put("text", ""));
      blocks.delta(out, new JsonObject().put("type", "text_delta").put("text", text));
    }
    if (delta.getValue("tool_calls") instanceof JsonArray fragments) {
      for (Object f : fragments) {
        if (f instanceof JsonObject fragment) toolCall(fragment, out);
      }
    }
  }

  /** A whole signed (or redacted) thinking block: its signature closes the thinking streamed before it. */
  private void sealed(JsonObject block, Buffer out) {
    if ("redacted_thinking".equals(block.getValue("type"))) {
      blocks.start(out, "redacted_thinking", block.copy(), -1);
      blocks.close(out);
      return;
    }
    if (!(block.getValue("signature") instanceof String signature)) return;
    StreamBlocks.Open open = blocks.open();
    if (open == null || !open.kind().equals("thinking")) {
      blocks.start(out, "thinking", new JsonObject().put("type", "thinking").put("thinking", "").put("signature", ""), -1);
      if (block.getValue("thinking") instanceof String text && !text.isEmpty()) {
        blocks.delta(out, new JsonObject().put("type", "thinking_delta").put("thinking", text));
      }
    }
    blocks.delta(out, new JsonObject().put("type", "signature_delta").put("signature", signature));
    blocks.close(out);
  }

  private void toolCall(JsonObject fragment, Buffer out) {
    int call = fragment.getValue("index") instanceof Number n ? n.intValue() : 0;
    JsonObject fn = fragment.getValue("function") instanceof JsonObject f ? f : new JsonObject();
    StreamBlocks.Open open = blocks.open();
    if (calls.add(call)) {
      String id = fragment.getValue("id") instanceof String s ? s : null;
      JsonObject block = new JsonObject().put("type", "tool_use").put("id", AnthropicTools.safeId(id))
          .put("name", fn.getValue("name")).put("input", new JsonObject());
      blocks.start(out, "tool_use", block, call);
    } else if (open == null || !open.kind().equals("tool_use") || open.call() != call) {
      // Anthropic streams one block at a time; providers send calls one after another, so a fragment
      // of a call already closed never comes from any known server.
      LOG.warning("a tool call's fragment came after its block was closed; it is left out");
      return;
    }
    if (fn.getValue("arguments") instanceof String arguments && !arguments.isEmpty()) {
      blocks.delta(out, new JsonObject().put("type", "input_json_delta").put("partial_json", arguments));
    }
  }

  private void ensure(Buffer out, String kind, JsonObject block) {
    StreamBlocks.Open open = blocks.open();
    if (open == null || !open.kind().equals(kind)) blocks.start(out, kind, block, -1);
  }
}
