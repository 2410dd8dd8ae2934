package io.kimiproxy.proxy.inbound.messages;

import io.kimiproxy.proxy.wire.anthropic.AnthropicStops;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A provider event brought in line with its chunk after a step changed the chunk: the text,
 * thinking or tool input a delta carries, and the stop reason of message_delta (the guardrails make
 * a turn whose every call they blocked a plain end_turn).
 */
final class NativeEdits {
  private NativeEdits() {}

  /** @param event a copy of the provider's event, changed in place; @param chunk the chunk as the steps left it */
  static void apply(String type, JsonObject event, JsonObject chunk) {
    JsonObject choice = chunk.getValue("choices") instanceof JsonArray choices && !choices.isEmpty()
        && choices.getValue(0) instanceof JsonObject c ? c : null;
    if (choice == null) return;
    JsonObject delta = choice.getValue("delta") instanceof JsonObject d ? d : new JsonObject();
    if (type.equals("message_delta") && event.getValue("delta") instanceof JsonObject message) {
      Object finish = choice.getValue("finish_reason");
      String mapped = AnthropicStops.stopReason(finish, false);
      Object stop = message.getValue("stop_reason");
      // Only a real change is written: end_turn and stop_sequence both read as OpenAI's "stop".
      if (!mapped.equals(AnthropicStops.stopReason(AnthropicStops.finishReason(stop), false))) {
        message.put("stop_reason", mapped);
      }
      return;
    }
    if (!type.equals("content_block_delta") || !(event.getValue("delta") instanceof JsonObject provided)) return;
    switch (String.valueOf(provided.getValue("type"))) {
      case "text_delta" -> copy(delta, "content", provided, "text");
      case "thinking_delta" -> copy(delta, "reasoning_content", provided, "thinking");
      case "input_json_delta" -> {
        if (delta.getValue("tool_calls") instanceof JsonArray calls && calls.getValue(0) instanceof JsonObject call
            && call.getValue("function") instanceof JsonObject fn && fn.getValue("arguments") instanceof String args) {
          provided.put("partial_json", args);
        }
      }
      default -> { }
    }
  }

  private static void copy(JsonObject from, String field, JsonObject to, String target) {
    if (from.getValue(field) instanceof String text) to.put(target, text);
  }
}
