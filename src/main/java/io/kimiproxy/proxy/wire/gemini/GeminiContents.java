package io.kimiproxy.proxy.wire.gemini;

import io.kimiproxy.core.model.MessageContent;
import io.kimiproxy.core.error.ProxyError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * OpenAI messages as Gemini {@code contents} and {@code systemInstruction}. Gemini knows two roles,
 * {@code user} and {@code model}: system and developer messages are lifted into the system
 * instruction, tool results travel as {@code functionResponse} parts of a user turn, and
 * consecutive turns of one role are merged (Gemini wants the roles to alternate, and the
 * functionResponse parts answering parallel calls in a single turn).
 */
final class GeminiContents {
  /**
   * Google's documented placeholder for a function call whose signature was lost. Gemini 3 rejects
   * a replayed function call without one, and most IDE clients rebuild assistant messages from their
   * own history, dropping the {@code extra_content} that carried the real signature.
   */
  static final String SIGNATURE_PLACEHOLDER = "skip_thought_signature_validator";

  private final JsonArray contents = new JsonArray();
  private final JsonArray system = new JsonArray();
  private final Map<String, String> callNames = new HashMap<>();
  private final boolean signaturesRequired;

  private GeminiContents(boolean signaturesRequired) {
    this.signaturesRequired = signaturesRequired;
  }

  /** The converted conversation: contents, and the system instruction (null when there is none). */
  record Converted(JsonArray contents, JsonObject systemInstruction) {}

  /** @param signaturesRequired whether the model validates thought signatures on replayed calls (Gemini 3 on) */
  static Converted of(JsonArray messages, boolean signaturesRequired) {
    GeminiContents c = new GeminiContents(signaturesRequired);
    for (int i = 0; i < messages.size(); i++) {
      c.add(messages.getJsonObject(i), i);
    }
    return new Converted(c.contents, c.system.isEmpty() ? null : new JsonObject().put("parts", c.system));
  }

  private void add(JsonObject message, int i) {
    String role = message.getString("role");
    switch (role) {
      case "system", "developer" -> system.addAll(parts(message.getValue("content"), i, true));
      case "user" -> append("user", parts(message.getValue("content"), i, false));
      case "assistant" -> append("model", assistant(message, i));
      case "tool", "function" -> append("user", new JsonArray().add(functionResponse(message, i)));
      default -> throw ProxyError.invalidRequest("messages[" + i + "].role '" + role
          + "' is not one of system, developer, user, assistant, tool.", "messages");
    }
  }

  private JsonArray assistant(JsonObject message, int i) {
    // reasoning_content is not sent back: Gemini keeps its reasoning in the signatures, not in text.
    JsonArray parts = parts(message.getValue("content"), i, true);
    if (!(message.getValue("tool_calls") instanceof JsonArray calls)) return parts;
    boolean signed = false;
    int firstCall = parts.size();
    for (Object item : calls) {
      if (!(item instanceof JsonObject call) || !(call.getValue("function") instanceof JsonObject fn)) {
        throw ProxyError.invalidRequest("messages[" + i + "].tool_calls holds a call without 'function'.", "messages");
      }
      String name = fn.getString("name", "");
      if (call.getValue("id") instanceof String id) callNames.put(id, name);
      JsonObject part = new JsonObject().put("functionCall", new JsonObject().put("name", name).put("args", arguments(fn)));
      String signature = GeminiToolCalls.signatureOf(call);
      if (signature != null) {
        part.put("thoughtSignature", signature);
        signed = true;
      }
      parts.add(part);
    }
    if (!signed && signaturesRequired && firstCall < parts.size()) {
      parts.getJsonObject(firstCall).put("thoughtSignature", SIGNATURE_PLACEHOLDER);
    }
    return parts;
  }

  /** Gemini takes the arguments as an object; a client replaying broken JSON keeps its text. */
  private static JsonObject arguments(JsonObject fn) {
    Object raw = fn.getValue("arguments");
    if (raw instanceof JsonObject object) return object;
    if (!(raw instanceof String text) || text.isBlank()) return new JsonObject();
    try {
      return new JsonObject(text);
    } catch (RuntimeException e) {
      return new JsonObject().put("arguments", text);
    }
  }

  private JsonObject functionResponse(JsonObject message, int i) {
    String name = message.getValue("tool_call_id") instanceof String id ? callNames.get(id) : null;
    if (name == null && message.getValue("name") instanceof String n) name = n;
    if (name == null || name.isEmpty()) {
      throw ProxyError.invalidRequest("messages[" + i + "] answers tool call '" + message.getValue("tool_call_id")
          + "', which no earlier assistant message made: Gemini needs the function's name.", "messages");
    }
    return new JsonObject().put("functionResponse", new JsonObject().put("name", name).put("response", response(message)));
  }

  /** Gemini wants an object: JSON results as they are, anything else wrapped as {"content": text}. */
  private static JsonObject response(JsonObject message) {
    Object content = message.getValue("content");
    String text = content instanceof JsonObject object ? object.encode() : MessageContent.text(content);
    String trimmed = text.trim();
    if (trimmed.startsWith("{")) {
      try {
        return new JsonObject(trimmed);
      } catch (RuntimeException e) {
        // not JSON after all: wrapped below like any other text
      }
    }
    return new JsonObject().put("content", text);
  }

  /** Joins consecutive turns of one role; a turn with nothing in it is left out (Gemini rejects empty parts). */
  private void append(String role, JsonArray parts) {
    if (parts.isEmpty()) return;
    JsonObject last = contents.isEmpty() ? null : contents.getJsonObject(contents.size() - 1);
    if (last != null && role.equals(last.getString("role"))) {
      last.getJsonArray("parts").addAll(parts);
    } else {
      contents.add(new JsonObject().put("role", role).put("parts", parts));
    }
  }

  /** Message content as Gemini parts: text, and images unless only text can go there. */
  private static JsonArray parts(Object content, int i, boolean textOnly) {
    JsonArray parts = new JsonArray();
    if (content instanceof String s) {
      if (!s.isEmpty()) parts.add(new JsonObject().put("text", s));
      return parts;
    }
    if (!(content instanceof JsonArray items)) return parts;
    for (Object item : items) {
      if (!(item instanceof JsonObject part)) continue;
      String type = part.getString("type", "text");
      if (part.getValue("text") instanceof String s) {
        if (!s.isEmpty()) parts.add(new JsonObject().put("text", s));
      } else if (type.equals("image_url") && !textOnly) {
        parts.add(GeminiMedia.image(part.getValue("image_url"), i));
      } else if (!textOnly) {
        throw ProxyError.invalidRequest("messages[" + i + "] has a content part of type '" + type
            + "', which the Gemini adapter cannot send (text and image_url only).", "messages");
      }
    }
    return parts;
  }
}
