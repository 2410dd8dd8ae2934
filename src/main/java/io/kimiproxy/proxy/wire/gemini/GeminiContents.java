package io.kimiproxy.proxy.wire.gemini;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.model.ContentForm;
import io.kimiproxy.core.model.Message;
import io.kimiproxy.core.model.Part;
import io.kimiproxy.core.model.ToolCall;
import java.util.List;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * Neutral messages as Gemini {@code contents} and {@code systemInstruction}. Gemini knows two roles,
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
  static Converted of(List<Message> messages, boolean signaturesRequired) {
    GeminiContents c = new GeminiContents(signaturesRequired);
    for (int i = 0; i < messages.size(); i++) {
      c.add(messages.get(i), i);
    }
    return new Converted(c.contents, c.system.isEmpty() ? null : new JsonObject().put("parts", c.system));
  }

  private void add(Message message, int i) {
    switch (message.role()) {
      case SYSTEM, DEVELOPER -> system.addAll(parts(message, i, true));
      case USER -> append("user", parts(message, i, false));
      case ASSISTANT -> append("model", assistant(message, i));
      case TOOL -> append("user", new JsonArray().add(functionResponse(message, i)));
    }
  }

  private JsonArray assistant(Message message, int i) {
    // Reasoning text is not sent back: Gemini keeps its reasoning in the signatures, not in text.
    JsonArray parts = parts(message, i, true);
    boolean signed = false;
    int firstCall = parts.size();
    for (ToolCall call : message.toolCalls()) {
      if (call.id() != null) callNames.put(call.id(), call.name());
      JsonObject part = new JsonObject().put("functionCall", new JsonObject().put("name", call.name())
          .put("args", arguments(call.arguments())));
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
  private static JsonObject arguments(String text) {
    if (text == null || text.isBlank()) return new JsonObject();
    try {
      return new JsonObject(text);
    } catch (RuntimeException e) {
      return new JsonObject().put("arguments", text);
    }
  }

  private JsonObject functionResponse(Message message, int i) {
    String name = message.toolCallId() != null ? callNames.get(message.toolCallId()) : null;
    if (name == null && message.name() != null) name = message.name();
    if (name == null || name.isEmpty()) {
      throw ProxyError.invalidRequest("messages[" + i + "] answers tool call '" + message.toolCallId()
          + "', which no earlier assistant message made: Gemini needs the function's name.", "messages");
    }
    return new JsonObject().put("functionResponse", new JsonObject().put("name", name).put("response", response(message)));
  }

  /** Gemini wants an object: JSON results as they are, anything else wrapped as {"content": text}. */
  private static JsonObject response(Message message) {
    String text = message.text();
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
  private static JsonArray parts(Message message, int i, boolean textOnly) {
    JsonArray parts = new JsonArray();
    if (message.form() == ContentForm.NONE) return parts;
    for (Part part : message.content()) {
      if (part instanceof Part.Text t) {
        if (!t.text().isEmpty()) parts.add(new JsonObject().put("text", t.text()));
      } else if (part instanceof Part.Image image && !textOnly) {
        parts.add(GeminiMedia.image(image.url(), i));
      } else if (!textOnly) {
        throw ProxyError.invalidRequest("messages[" + i + "] has a content part of type '" + ((Part.Other) part).type()
            + "', which the Gemini adapter cannot send (text and image_url only).", "messages");
      }
    }
    return parts;
  }
}
