package io.kimiproxy.proxy.wire.anthropic;

import io.kimiproxy.core.error.ProxyError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenAI conversation as Anthropic's {@code system} and {@code messages}. Anthropic has no
 * system or tool roles and wants user and assistant turns to alternate, so: system and developer
 * messages are lifted to {@code system}; tool messages become tool_result blocks in a user turn;
 * consecutive turns of one role are merged, which puts the results of parallel tool calls in the
 * one user turn right after the assistant turn that made them, as Anthropic requires.
 */
final class AnthropicMessages {

  /** @param system a string, or an array of text blocks when some carry cache_control; null when none */
  record Conversation(Object system, JsonArray messages) {}

  private static final Pattern DATA_URL = Pattern.compile("^data:([^;,]+)((?:;[^;,]*)*);base64,(.*)$", Pattern.DOTALL);
  private static final Pattern ID_UNSAFE = Pattern.compile("[^a-zA-Z0-9_-]");

  private AnthropicMessages() {}

  static Conversation convert(JsonArray messages) {
    JsonArray system = new JsonArray();
    JsonArray turns = new JsonArray();
    for (int i = 0; i < messages.size(); i++) {
      JsonObject message = messages.getJsonObject(i);
      String role = message.getString("role");
      switch (role) {
        case "system", "developer" -> system.addAll(blocks(message.getValue("content"), i, false));
        case "user" -> append(turns, "user", blocks(message.getValue("content"), i, true));
        case "assistant" -> append(turns, "assistant", assistantBlocks(message, i));
        case "tool" -> append(turns, "user", new JsonArray().add(toolResult(message, i)));
        default -> throw ProxyError.invalidRequest("messages[" + i + "]: the role '" + role
            + "' is not supported by Anthropic's Messages API (use system, developer, user, assistant or tool).", "messages");
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
  private static JsonArray assistantBlocks(JsonObject message, int i) {
    JsonArray blocks = thinkingBlocks(message.getValue("thinking_blocks"));
    blocks.addAll(blocks(message.getValue("content"), i, false));
    if (message.getValue("tool_calls") instanceof JsonArray calls) {
      for (int j = 0; j < calls.size(); j++) {
        blocks.add(toolUse(calls.getValue(j), i, j));
      }
    }
    return blocks;
  }

  /**
   * The thinking blocks the proxy handed out with an earlier answer. A block without its
   * signature is dropped: Anthropic rejects it, and reasoning_content alone cannot be sent back.
   */
  private static JsonArray thinkingBlocks(Object value) {
    JsonArray out = new JsonArray();
    if (!(value instanceof JsonArray list)) return out;
    for (Object item : list) {
      if (!(item instanceof JsonObject block)) continue;
      if ("thinking".equals(block.getValue("type")) && block.getValue("thinking") instanceof String thinking
          && block.getValue("signature") instanceof String signature && !signature.isEmpty()) {
        out.add(AnthropicResponseMapper.thinkingBlock(thinking, signature));
      } else if ("redacted_thinking".equals(block.getValue("type")) && block.getValue("data") instanceof String data) {
        out.add(AnthropicResponseMapper.redactedThinkingBlock(data));
      }
    }
    return out;
  }

  private static JsonObject toolUse(Object value, int i, int j) {
    String where = "messages[" + i + "].tool_calls[" + j + "]";
    if (!(value instanceof JsonObject call) || !(call.getValue("function") instanceof JsonObject fn)
        || !(fn.getValue("name") instanceof String name) || name.isEmpty()) {
      throw ProxyError.invalidRequest(where + " must be a function call with a name.", "messages");
    }
    Object arguments = fn.getValue("arguments");
    JsonObject input;
    if (arguments == null || arguments instanceof String s && s.isBlank()) {
      input = new JsonObject();
    } else if (arguments instanceof JsonObject object) {
      input = object;
    } else {
      try {
        input = new JsonObject(String.valueOf(arguments));
      } catch (RuntimeException e) {
        throw ProxyError.invalidRequest(where + ".function.arguments must be a JSON object: Anthropic takes tool input as an object.", "messages");
      }
    }
    return new JsonObject().put("type", "tool_use").put("id", toolId(call.getValue("id"), where)).put("name", name).put("input", input);
  }

  private static JsonObject toolResult(JsonObject message, int i) {
    JsonObject result = new JsonObject().put("type", "tool_result")
        .put("tool_use_id", toolId(message.getValue("tool_call_id"), "messages[" + i + "].tool_call_id"));
    Object content = message.getValue("content");
    if (content instanceof String s) {
      if (!s.isEmpty()) result.put("content", s); // Anthropic rejects empty text, not a missing one
    } else {
      JsonArray blocks = blocks(content, i, true);
      if (!blocks.isEmpty()) result.put("content", blocks);
    }
    return result;
  }

  /**
   * Anthropic accepts tool ids of letters, digits, _ and - only; ids from other providers
   * (Groq's "functions.add:0") are rewritten the same way in the call and in its result, so they still pair.
   */
  private static String toolId(Object id, String where) {
    if (!(id instanceof String s) || s.isEmpty()) {
      throw ProxyError.invalidRequest(where + ": a tool call id is required to pair a call with its result.", "messages");
    }
    return ID_UNSAFE.matcher(s).replaceAll("_");
  }

  /** Message content (a string or parts) as Anthropic blocks; empty text is left out, as Anthropic rejects it. */
  private static JsonArray blocks(Object content, int i, boolean imagesAllowed) {
    JsonArray out = new JsonArray();
    if (content instanceof String s) {
      if (!s.isEmpty()) out.add(new JsonObject().put("type", "text").put("text", s));
      return out;
    }
    if (!(content instanceof JsonArray parts)) return out;
    for (Object item : parts) {
      if (!(item instanceof JsonObject part)) continue;
      String type = String.valueOf(part.getValue("type"));
      JsonObject block;
      if (type.equals("text")) {
        if (!(part.getValue("text") instanceof String text) || text.isEmpty()) continue;
        block = new JsonObject().put("type", "text").put("text", text);
      } else if (type.equals("image_url") && imagesAllowed) {
        block = image(part.getValue("image_url"), i);
      } else {
        throw ProxyError.invalidRequest("messages[" + i + "]: content parts of type '" + type
            + "' are not supported here by Anthropic's Messages API.", "messages");
      }
      // Prompt-cache breakpoints (Cline and others set them on the parts) travel as they are.
      if (part.getValue("cache_control") instanceof JsonObject cache) block.put("cache_control", cache);
      out.add(block);
    }
    return out;
  }

  private static JsonObject image(Object value, int i) {
    Object url = value instanceof JsonObject o ? o.getValue("url") : value;
    if (url instanceof String s) {
      Matcher data = DATA_URL.matcher(s);
      if (data.matches()) {
        return new JsonObject().put("type", "image").put("source", new JsonObject()
            .put("type", "base64").put("media_type", data.group(1)).put("data", data.group(3)));
      }
      if (s.startsWith("https://") || s.startsWith("http://")) {
        return new JsonObject().put("type", "image").put("source", new JsonObject().put("type", "url").put("url", s));
      }
    }
    throw ProxyError.invalidRequest("messages[" + i + "]: an image must be an http(s) URL or a base64 data: URL.", "messages");
  }
}
