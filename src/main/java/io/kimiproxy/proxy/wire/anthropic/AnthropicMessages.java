package io.kimiproxy.proxy.wire.anthropic;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.model.ContentForm;
import io.kimiproxy.core.model.Message;
import io.kimiproxy.core.model.Part;
import io.kimiproxy.core.model.Thinking;
import io.kimiproxy.core.model.ToolCall;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A neutral conversation as Anthropic's {@code system} and {@code messages}. Anthropic has no
 * system or tool roles and wants user and assistant turns to alternate, so: system and developer
 * messages are lifted to {@code system}; tool messages become tool_result blocks in a user turn;
 * consecutive turns of one role are merged, which puts the results of parallel tool calls in the
 * one user turn right after the assistant turn that made them, as Anthropic requires.
 */
final class AnthropicMessages {

  /** @param system a string, or an array of text blocks when some carry cache_control; null when none */
  record Conversation(Object system, JsonArray messages) {}

  private AnthropicMessages() {}

  static Conversation convert(List<Message> messages) {
    JsonArray system = new JsonArray();
    JsonArray turns = new JsonArray();
    for (int i = 0; i < messages.size(); i++) {
      Message message = messages.get(i);
      switch (message.role()) {
        case SYSTEM, DEVELOPER -> system.addAll(blocks(message, i, false));
        case USER -> append(turns, "user", blocks(message, i, true));
        case ASSISTANT -> append(turns, "assistant", assistantBlocks(message, i));
        case TOOL -> append(turns, "user", new JsonArray().add(toolResult(message, i)));
      }
    }
    for (Object turn : turns) toolResultsFirst((JsonObject) turn);
    return new Conversation(system(system), turns);
  }

  /** Plain text joins into one string; blocks are kept only when a prompt-cache breakpoint needs them. */
  private static Object system(JsonArray blocks) {
    if (blocks.isEmpty()) return null;
    boolean cached = blocks.stream().anyMatch(b -> ((JsonObject) b).containsKey("cache_control"));
    if (cached) return blocks;
    StringBuilder text = new StringBuilder();
    for (Object b : blocks) {
      if (text.length() > 0) text.append("\n\n");
      text.append(((JsonObject) b).getString("text"));
    }
    return text.toString();
  }

  private static void append(JsonArray turns, String role, JsonArray blocks) {
    if (blocks.isEmpty()) return; // Anthropic rejects empty turns; dropping one lets its neighbours merge
    JsonObject last = turns.isEmpty() ? null : turns.getJsonObject(turns.size() - 1);
    if (last != null && role.equals(last.getString("role"))) {
      last.getJsonArray("content").addAll(blocks);
    } else {
      turns.add(new JsonObject().put("role", role).put("content", blocks));
    }
  }

  /** In a user turn that answers tool calls, Anthropic wants the tool_result blocks before any other content. */
  private static void toolResultsFirst(JsonObject turn) {
    JsonArray content = turn.getJsonArray("content");
    JsonArray results = new JsonArray();
    JsonArray others = new JsonArray();
    for (Object block : content) {
      ("tool_result".equals(((JsonObject) block).getString("type")) ? results : others).add(block);
    }
    if (!results.isEmpty() && !others.isEmpty()) turn.put("content", results.addAll(others));
  }

  /** Signed thinking first (Anthropic checks that it leads the turn), then text, then tool_use. */
  private static JsonArray assistantBlocks(Message message, int i) {
    JsonArray blocks = thinkingBlocks(message.reasoning());
    blocks.addAll(blocks(message, i, false));
    List<ToolCall> calls = message.toolCalls();
    for (int j = 0; j < calls.size(); j++) {
      blocks.add(toolUse(calls.get(j), i, j));
    }
    return blocks;
  }

  /**
   * The signed thinking blocks an earlier answer carried. Plain reasoning text is dropped:
   * Anthropic rejects a thinking block without its signature.
   */
  private static JsonArray thinkingBlocks(List<Thinking> reasoning) {
    JsonArray out = new JsonArray();
    for (Thinking t : reasoning) {
      if (t.signature() != null && t.text() != null) {
        out.add(AnthropicResponseMapper.thinkingBlock(t.text(), t.signature()));
      } else if (t.data() != null && t.text() == null) {
        out.add(AnthropicResponseMapper.redactedThinkingBlock(t.data()));
      }
    }
    return out;
  }

  private static JsonObject toolUse(ToolCall call, int i, int j) {
    String where = "messages[" + i + "].tool_calls[" + j + "]";
    if (call.name().isEmpty()) throw ProxyError.invalidRequest(where + " must be a function call with a name.", "messages");
    String arguments = call.arguments();
    JsonObject input;
    if (arguments == null || arguments.isBlank()) {
      input = new JsonObject();
    } else {
      try {
        input = new JsonObject(arguments);
      } catch (RuntimeException e) {
        throw ProxyError.invalidRequest(where + ".function.arguments must be a JSON object: Anthropic takes tool input as an object.", "messages");
      }
    }
    return new JsonObject().put("type", "tool_use").put("id", AnthropicIds.toolId(call.id(), where)).put("name", call.name())
        .put("input", input);
  }

  private static JsonObject toolResult(Message message, int i) {
    JsonObject result = new JsonObject().put("type", "tool_result")
        .put("tool_use_id", AnthropicIds.toolId(message.toolCallId(), "messages[" + i + "].tool_call_id"));
    if (message.extra() != null && Boolean.TRUE.equals(message.extra().getValue("is_error"))) result.put("is_error", true);
    if (message.form() == ContentForm.STRING) {
      String text = message.text();
      if (!text.isEmpty()) result.put("content", text); // Anthropic rejects empty text, not a missing one
    } else {
      JsonArray blocks = blocks(message, i, true);
      if (!blocks.isEmpty()) result.put("content", blocks);
    }
    return result;
  }

  /** Message content as Anthropic blocks; empty text is left out, as Anthropic rejects it. */
  private static JsonArray blocks(Message message, int i, boolean imagesAllowed) {
    JsonArray out = new JsonArray();
    for (Part part : message.content()) {
      JsonObject block;
      JsonObject cache;
      if (part instanceof Part.Text t) {
        if (t.text().isEmpty()) continue;
        block = new JsonObject().put("type", "text").put("text", t.text());
        cache = t.cacheControl();
      } else if (part instanceof Part.Image image && imagesAllowed) {
        block = AnthropicIds.image(image.url(), i);
        cache = image.cacheControl();
      } else {
        String type = part instanceof Part.Other o ? o.type() : "image_url";
        throw ProxyError.invalidRequest("messages[" + i + "]: content parts of type '" + type
            + "' are not supported here by Anthropic's Messages API.", "messages");
      }
      // Prompt-cache breakpoints (Cline and others set them on the parts) travel as they are.
      if (cache != null) block.put("cache_control", cache);
      out.add(block);
    }
    return out;
  }
}
