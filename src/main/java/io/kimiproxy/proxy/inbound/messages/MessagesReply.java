package io.kimiproxy.proxy.inbound.messages;

import io.kimiproxy.proxy.wire.anthropic.AnthropicStops;
import io.kimiproxy.proxy.wire.anthropic.AnthropicTools;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.logging.Logger;

/**
 * A whole answer (the neutral {@code chat.completion}) as an Anthropic message: reasoning as
 * thinking blocks (signed ones as they were issued), the text, then the tool calls as tool_use
 * blocks with their input objects.
 */
final class MessagesReply {
  private static final Logger LOG = Logger.getLogger(MessagesReply.class.getName());

  private MessagesReply() {}

  static JsonObject of(JsonObject completion, JsonObject usage, String model) {
    JsonObject choice = completion.getValue("choices") instanceof JsonArray choices && !choices.isEmpty()
        && choices.getValue(0) instanceof JsonObject c ? c : new JsonObject();
    JsonObject message = choice.getValue("message") instanceof JsonObject m ? m : new JsonObject();
    JsonArray content = new JsonArray();
    thinking(message, content);
    text(message.getValue("content"), content);
    boolean toolUsed = false;
    if (message.getValue("tool_calls") instanceof JsonArray calls) {
      for (Object c : calls) {
        if (c instanceof JsonObject call && call.getValue("function") instanceof JsonObject fn) {
          String id = call.getValue("id") instanceof String s ? s : null;
          content.add(new JsonObject().put("type", "tool_use").put("id", AnthropicTools.safeId(id))
              .put("name", fn.getValue("name")).put("input", input(fn.getValue("arguments"))));
          toolUsed = true;
        }
      }
    }
    return new JsonObject()
        .put("id", MessagesIds.message(completion.getValue("id")))
        .put("type", "message")
        .put("role", "assistant")
        .put("model", model)
        .put("content", content)
        .put("stop_reason", AnthropicStops.stopReason(choice.getValue("finish_reason"), toolUsed))
        .putNull("stop_sequence")
        .put("usage", MessagesUsage.of(usage));
  }

  /** Signed blocks when the answer carries them (they hold the same text), else the plain reasoning. */
  private static void thinking(JsonObject message, JsonArray content) {
    if (message.getValue("thinking_blocks") instanceof JsonArray blocks && !blocks.isEmpty()) {
      blocks.forEach(b -> {
        if (b instanceof JsonObject block) content.add(block.copy());
      });
      return;
    }
    Object reasoning = message.getValue("reasoning_content") != null ? message.getValue("reasoning_content")
        : message.getValue("reasoning");
    if (reasoning instanceof String text && !text.isEmpty()) {
      content.add(new JsonObject().put("type", "thinking").put("thinking", text).put("signature", ""));
    }
  }

  private static void text(Object value, JsonArray content) {
    if (value instanceof String text && !text.isEmpty()) {
      content.add(new JsonObject().put("type", "text").put("text", text));
    } else if (value instanceof JsonArray parts) {
      for (Object p : parts) {
        if (p instanceof JsonObject part && part.getValue("text") instanceof String text && !text.isEmpty()) {
          content.add(new JsonObject().put("type", "text").put("text", text));
        }
      }
    }
  }

  /** A tool call's arguments as the input object Anthropic clients expect; what is not an object becomes {}. */
  static JsonObject input(Object arguments) {
    if (arguments instanceof JsonObject object) return object;
    if (!(arguments instanceof String text) || text.isBlank()) return new JsonObject();
    try {
      return new JsonObject(text);
    } catch (RuntimeException e) {
      LOG.warning("a tool call's arguments are not a JSON object; the client gets an empty input");
      return new JsonObject();
    }
  }
}
