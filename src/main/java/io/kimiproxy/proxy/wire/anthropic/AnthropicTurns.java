package io.kimiproxy.proxy.wire.anthropic;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.model.ContentForm;
import io.kimiproxy.core.model.Message;
import io.kimiproxy.core.model.Part;
import io.kimiproxy.core.model.Role;
import io.kimiproxy.core.model.Thinking;
import io.kimiproxy.core.model.ToolCall;
import io.kimiproxy.core.util.ContentKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Anthropic Messages turns, as an Anthropic client writes them, to and from neutral messages; the
 * two directions are inverse for everything the neutral model holds, so a message a step changed
 * goes back to an Anthropic provider saying what the client's said.
 *
 * <p>One Anthropic message may become several neutral ones: a user turn's {@code tool_result}
 * blocks become tool messages (first, as every other format wants them right after the call), and
 * its other blocks one user message. Blocks the neutral model does not name (documents, server
 * tool blocks, search results) are kept whole as {@link Part.Other}.
 */
public final class AnthropicTurns {
  private static final String DATA_PREFIX = "data:";

  private AnthropicTurns() {}

  /**
   * The content key of the {@code j}-th of the {@code n} neutral messages decoded from one turn
   * whose bytes have key {@code turn}: equal turns give equal keys, and a splice can tell from the
   * keys of a run of messages whether they are the whole turn, in order.
   */
  public static ContentKey memberKey(ContentKey turn, int n, int j) {
    return turn.then(n).then(j);
  }

  /** The neutral messages of {@code messages[index]}; a malformed turn is a 400 naming it. */
  public static List<Message> decode(JsonObject json, int index) {
    String where = "messages[" + index + "]";
    Role role = json.getValue("role") instanceof String name ? switch (name) {
      case "user" -> Role.USER;
      case "assistant" -> Role.ASSISTANT;
      case "system" -> Role.SYSTEM;
      default -> null;
    } : null;
    if (role == null) {
      throw ProxyError.invalidRequest(where + ".role must be \"user\", \"assistant\" or \"system\".", "messages");
    }
    Object content = json.getValue("content");
    if (content instanceof String text) return List.of(Message.text(role, text));
    if (!(content instanceof JsonArray blocks)) {
      throw ProxyError.invalidRequest(where + ".content must be a string or an array of content blocks.", "messages");
    }
    return role == Role.ASSISTANT ? List.of(assistant(blocks, where)) : userOrSystem(role, blocks, where);
  }

  /** The top-level {@code system}: a string or text blocks, as one system message. */
  public static Message decodeSystem(Object system) {
    if (system instanceof String text) return Message.text(Role.SYSTEM, text);
    if (!(system instanceof JsonArray blocks)) {
      throw ProxyError.invalidRequest("'system' must be a string or an array of text blocks.", "system");
    }
    List<Part> parts = new ArrayList<>(blocks.size());
    for (int i = 0; i < blocks.size(); i++) {
      parts.add(part(block(blocks, i, "system"), "system[" + i + "]"));
    }
    return new Message(Role.SYSTEM, parts, ContentForm.PARTS, List.of(), null, null, List.of(), null);
  }

  /** Neutral messages as Anthropic turns: results and the user's words of a row join one user turn. */
  public static JsonArray encode(List<Message> messages) {
    JsonArray turns = new JsonArray();
    JsonArray results = new JsonArray();
    List<Message> words = new ArrayList<>();
    for (Message m : messages) {
      if (m.role() == Role.TOOL || m.role() == Role.USER) {
        if (m.role() == Role.TOOL) results.add(toolResult(m)); else words.add(m);
        continue;
      }
      flushUser(turns, results, words);
      results = new JsonArray();
      words = new ArrayList<>();
      if (m.role() == Role.ASSISTANT) {
        turns.add(new JsonObject().put("role", "assistant").put("content", assistantContent(m)));
      } else {
        turns.add(new JsonObject().put("role", "system").put("content", content(m)));
      }
    }
    flushUser(turns, results, words);
    return turns;
  }

  /** The top-level {@code system} for leading system messages: one string stays a string, else text blocks. */
  public static Object encodeSystem(List<Message> system) {
    if (system.size() == 1 && system.get(0).form() == ContentForm.STRING) return system.get(0).text();
    JsonArray blocks = new JsonArray();
    for (Message m : system) {
      if (m.form() == ContentForm.STRING) blocks.add(text(m.text(), null)); else blocks.addAll(blocks(m.content()));
    }
    return blocks;
  }

  private static List<Message> userOrSystem(Role role, JsonArray blocks, String where) {
    List<Message> out = new ArrayList<>();
    List<Part> parts = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      String at = where + ".content[" + i + "]";
      JsonObject block = block(blocks, i, where + ".content");
      if (role == Role.USER && "tool_result".equals(block.getValue("type"))) {
        out.add(toolResult(block, at));
      } else {
        parts.add(part(block, at));
      }
    }
    if (!parts.isEmpty() || out.isEmpty()) {
      out.add(new Message(role, parts, ContentForm.PARTS, List.of(), null, null, List.of(), null));
    }
    return out;
  }

  private static Message assistant(JsonArray blocks, String where) {
    List<Part> parts = new ArrayList<>();
    List<Thinking> reasoning = new ArrayList<>();
    List<ToolCall> calls = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      String at = where + ".content[" + i + "]";
      JsonObject block = block(blocks, i, where + ".content");
      switch ((String) block.getValue("type")) {
        case "thinking" -> {
          String signature = block.getValue("signature") instanceof String s && !s.isEmpty() ? s : null;
          reasoning.add(new Thinking(string(block, "thinking", at), signature, null));
        }
        case "redacted_thinking" -> reasoning.add(new Thinking(null, null, string(block, "data", at)));
        case "tool_use" -> calls.add(toolUse(block, at));
        default -> parts.add(part(block, at));
      }
    }
    return new Message(Role.ASSISTANT, parts, parts.isEmpty() ? ContentForm.NONE : ContentForm.PARTS, calls, null, null,
        reasoning, null);
  }

  private static ToolCall toolUse(JsonObject block, String at) {
    String id = string(block, "id", at);
    String name = string(block, "name", at);
    if (id.isEmpty() || name.isEmpty()) throw ProxyError.invalidRequest(at + ": a tool_use needs an id and a name.", "messages");
    Object input = block.getValue("input");
    if (input != null && !(input instanceof JsonObject)) {
      throw ProxyError.invalidRequest(at + ".input must be an object.", "messages");
    }
    return new ToolCall(id, name, input == null ? "{}" : ((JsonObject) input).encode(), null);
  }

  private static Message toolResult(JsonObject block, String at) {
    String id = string(block, "tool_use_id", at);
    if (id.isEmpty()) throw ProxyError.invalidRequest(at + ".tool_use_id must not be empty.", "messages");
    Object content = block.getValue("content");
    List<Part> parts = new ArrayList<>();
    ContentForm form;
    if (content instanceof String text) {
      parts.add(new Part.Text(text));
      form = ContentForm.STRING;
    } else if (content instanceof JsonArray blocks) {
      for (int i = 0; i < blocks.size(); i++) parts.add(part(block(blocks, i, at + ".content"), at + ".content[" + i + "]"));
      form = ContentForm.PARTS;
    } else if (content == null) {
      form = ContentForm.NONE;
    } else {
      throw ProxyError.invalidRequest(at + ".content must be a string or an array of content blocks.", "messages");
    }
    JsonObject extra = null;
    for (String field : new String[] {"is_error", "cache_control"}) {
      if (block.getValue(field) != null) extra = (extra == null ? new JsonObject() : extra).put(field, block.getValue(field));
    }
    return new Message(Role.TOOL, parts, form, List.of(), id, null, List.of(), extra);
  }

  /** A content block the neutral model names (text, image), else kept whole. */
  private static Part part(JsonObject block, String at) {
    JsonObject cache = block.getValue("cache_control") instanceof JsonObject c ? c : null;
    String type = (String) block.getValue("type");
    if (type.equals("text")) return new Part.Text(string(block, "text", at), cache);
    if (type.equals("image") && block.getValue("source") instanceof JsonObject source) {
      String url = imageUrl(source);
      if (url != null) return new Part.Image(url, null, cache);
    }
    return new Part.Other(type, block);
  }

  /** A base64 image as a data: URL, a URL image as its URL; a file reference has no URL (null). */
  private static String imageUrl(JsonObject source) {
    if ("base64".equals(source.getValue("type")) && source.getValue("media_type") instanceof String media
        && source.getValue("data") instanceof String data) {
      return DATA_PREFIX + media + ";base64," + data;
    }
    if ("url".equals(source.getValue("type")) && source.getValue("url") instanceof String url) return url;
    return null;
  }

  private static void flushUser(JsonArray turns, JsonArray results, List<Message> words) {
    if (results.isEmpty() && words.isEmpty()) return;
    if (results.isEmpty() && words.size() == 1 && words.get(0).form() == ContentForm.STRING) {
      turns.add(new JsonObject().put("role", "user").put("content", words.get(0).text()));
      return;
    }
    JsonArray content = results.copy();
    for (Message m : words) {
      if (m.form() == ContentForm.STRING) content.add(text(m.text(), null)); else content.addAll(blocks(m.content()));
    }
    turns.add(new JsonObject().put("role", "user").put("content", content));
  }

  private static Object assistantContent(Message m) {
    if (m.form() == ContentForm.STRING && m.reasoning().isEmpty() && m.toolCalls().isEmpty()) return m.text();
    JsonArray blocks = new JsonArray();
    for (Thinking t : m.reasoning()) {
      if (t.text() == null) {
        blocks.add(AnthropicResponseMapper.redactedThinkingBlock(t.data()));
      } else {
        // Unsigned thinking goes back as the client sent it, with the empty signature it had.
        blocks.add(AnthropicResponseMapper.thinkingBlock(t.text(), t.signature() == null ? "" : t.signature()));
      }
    }
    if (m.form() == ContentForm.STRING) blocks.add(text(m.text(), null)); else blocks.addAll(blocks(m.content()));
    for (ToolCall call : m.toolCalls()) {
      JsonObject input;
      try {
        input = call.arguments() == null || call.arguments().isBlank() ? new JsonObject() : new JsonObject(call.arguments());
      } catch (RuntimeException e) {
        throw ProxyError.invalidRequest("the input of tool call '" + call.id() + "' is not a JSON object.", "messages");
      }
      blocks.add(new JsonObject().put("type", "tool_use").put("id", call.id()).put("name", call.name()).put("input", input));
    }
    return blocks;
  }

  private static JsonObject toolResult(Message m) {
    JsonObject block = new JsonObject().put("type", "tool_result").put("tool_use_id", m.toolCallId());
    switch (m.form()) {
      case STRING -> block.put("content", m.text());
      case PARTS -> block.put("content", blocks(m.content()));
      case NONE -> { }
    }
    if (m.extra() != null) m.extra().forEach(e -> block.put(e.getKey(), e.getValue()));
    return block;
  }

  private static Object content(Message m) {
    return m.form() == ContentForm.STRING ? m.text() : blocks(m.content());
  }

  private static JsonArray blocks(List<Part> parts) {
    JsonArray out = new JsonArray();
    for (int i = 0; i < parts.size(); i++) {
      Part part = parts.get(i);
      if (part instanceof Part.Text t) {
        out.add(text(t.text(), t.cacheControl()));
      } else if (part instanceof Part.Image image) {
        JsonObject block = AnthropicIds.image(image.url(), i);
        if (image.cacheControl() != null) block.put("cache_control", image.cacheControl());
        out.add(block);
      } else if (part instanceof Part.Other other) {
        out.add(other.json());
      }
    }
    return out;
  }

  private static JsonObject text(String text, JsonObject cacheControl) {
    JsonObject block = new JsonObject().put("type", "text").put("text", text);
    if (cacheControl != null) block.put("cache_control", cacheControl);
    return block;
  }

  private static JsonObject block(JsonArray blocks, int i, String where) {
    if (!(blocks.getValue(i) instanceof JsonObject block) || !(block.getValue("type") instanceof String)) {
      throw ProxyError.invalidRequest(where + "[" + i + "] must be an object with a 'type'.",
          where.startsWith("system") ? "system" : "messages");
    }
    return block;
  }

  private static String string(JsonObject block, String field, String at) {
    if (!(block.getValue(field) instanceof String s)) {
      throw ProxyError.invalidRequest(at + "." + field + " must be a string.", "messages");
    }
    return s;
  }
}
