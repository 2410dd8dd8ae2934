package io.kimiproxy.proxy.wire.openai;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.model.ContentForm;
import io.kimiproxy.core.model.Message;
import io.kimiproxy.core.model.Part;
import io.kimiproxy.core.model.Role;
import io.kimiproxy.core.model.Thinking;
import io.kimiproxy.core.model.ToolCall;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Chat Completions messages to and from the neutral {@link Message}: the codec of the format most
 * providers and most clients speak. Fields the model does not name travel in {@code extra} and come
 * back out as they were, so a message the proxy re-encodes says what the client's said.
 */
public final class OpenAiMessages {
  private static final Set<String> MODELLED = Set.of("role", "content", "tool_calls", "tool_call_id", "name",
      "reasoning_content", "thinking_blocks");

  private OpenAiMessages() {}

  /** The message at {@code messages[index]}; a malformed one is a 400 naming it. */
  public static Message decode(JsonObject json, int index) {
    String where = "messages[" + index + "]";
    if (!(json.getValue("role") instanceof String roleName)) {
      throw ProxyError.invalidRequest(where + " must be an object with a 'role'.", "messages");
    }
    Role role = Role.of(roleName);
    if (role == null) {
      throw ProxyError.invalidRequest(where + ".role '" + roleName
          + "' is not one of system, developer, user, assistant, tool.", "messages");
    }
    Object content = json.getValue("content");
    List<Part> parts;
    ContentForm form;
    if (content instanceof String text) {
      parts = List.of(new Part.Text(text));
      form = ContentForm.STRING;
    } else if (content instanceof JsonArray array) {
      parts = parts(array, where);
      form = ContentForm.PARTS;
    } else if (content == null) {
      parts = List.of();
      form = ContentForm.NONE;
    } else {
      throw ProxyError.invalidRequest(where + ".content must be a string, an array of parts or null.", "messages");
    }
    return new Message(role, parts, form, toolCalls(json.getValue("tool_calls"), where),
        json.getValue("tool_call_id") instanceof String id ? id : null,
        json.getValue("name") instanceof String name ? name : null,
        reasoning(json), extra(json, MODELLED));
  }

  /** The message as Chat Completions JSON. */
  public static JsonObject encode(Message message) {
    return encode(message, true, true);
  }

  /**
   * A message a client of another API sent (Anthropic Messages...), as Chat Completions JSON: only
   * what Chat Completions has a field for. Its {@code extra} fields, signed thinking and blocks of
   * its own kinds are its API's, not OpenAI's, and servers refuse fields they do not know; a block
   * with no Chat Completions form becomes a line saying it was left out.
   *
   * @param cacheControl whether the provider takes prompt-cache breakpoints on parts (OpenRouter)
   */
  public static JsonObject encodeTranslated(Message message, boolean cacheControl) {
    return encode(message, false, cacheControl);
  }

  private static JsonObject encode(Message message, boolean sameFormat, boolean cacheControl) {
    JsonObject out = new JsonObject().put("role", message.role().wire());
    switch (message.form()) {
      case STRING -> out.put("content", message.text());
      case PARTS -> out.put("content", !sameFormat && plainText(message.content(), cacheControl) ? message.text()
          : encodeParts(message.content(), sameFormat, cacheControl));
      case NONE -> out.putNull("content");
    }
    if (message.name() != null) out.put("name", message.name());
    if (!message.toolCalls().isEmpty()) out.put("tool_calls", encodeToolCalls(message.toolCalls(), sameFormat));
    if (message.toolCallId() != null) out.put("tool_call_id", message.toolCallId());
    StringBuilder plain = new StringBuilder();
    JsonArray signed = new JsonArray();
    for (Thinking t : message.reasoning()) {
      if (t.sealed()) {
        signed.add(t.data() != null && t.text() == null
            ? new JsonObject().put("type", "redacted_thinking").put("data", t.data())
            : new JsonObject().put("type", "thinking").put("thinking", t.text()).put("signature", t.signature()));
      } else if (t.text() != null) {
        plain.append(t.text());
      }
    }
    if (plain.length() > 0) out.put("reasoning_content", plain.toString());
    if (!sameFormat) return out;
    if (!signed.isEmpty()) out.put("thinking_blocks", signed);
    if (message.extra() != null) message.extra().forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  public static JsonArray encodeToolCalls(List<ToolCall> calls) {
    return encodeToolCalls(calls, true);
  }

  /**
   * Whether parts can go as one string: another API's text blocks (Anthropic writes every turn as
   * blocks) where many servers take only a string (system, assistant and tool messages), unless a
   * block carries a cache breakpoint the provider takes.
   */
  private static boolean plainText(List<Part> parts, boolean cacheControl) {
    for (Part part : parts) {
      if (!(part instanceof Part.Text t) || cacheControl && t.cacheControl() != null) return false;
    }
    return true;
  }

  private static JsonArray encodeToolCalls(List<ToolCall> calls, boolean sameFormat) {
    JsonArray out = new JsonArray();
    for (ToolCall call : calls) {
      JsonObject json = new JsonObject();
      if (call.id() != null) json.put("id", call.id());
      json.put("type", "function")
          .put("function", new JsonObject().put("name", call.name()).put("arguments", call.arguments()));
      if (sameFormat && call.extra() != null) call.extra().forEach(e -> json.put(e.getKey(), e.getValue()));
      out.add(json);
    }
    return out;
  }

  private static JsonArray encodeParts(List<Part> parts, boolean sameFormat, boolean cacheControl) {
    JsonArray out = new JsonArray();
    for (Part part : parts) {
      if (part instanceof Part.Text t) {
        JsonObject json = new JsonObject().put("type", "text").put("text", t.text());
        if (cacheControl && t.cacheControl() != null) json.put("cache_control", t.cacheControl());
        out.add(json);
      } else if (part instanceof Part.Image i) {
        JsonObject image = new JsonObject().put("url", i.url());
        if (i.detail() != null) image.put("detail", i.detail());
        JsonObject json = new JsonObject().put("type", "image_url").put("image_url", image);
        if (cacheControl && i.cacheControl() != null) json.put("cache_control", i.cacheControl());
        out.add(json);
      } else if (part instanceof Part.Other o) {
        out.add(sameFormat ? o.json() : new JsonObject().put("type", "text")
            .put("text", "[a " + o.type() + " block was left out: this model's API has no form for it]"));
      }
    }
    return out;
  }

  private static List<Part> parts(JsonArray array, String where) {
    List<Part> parts = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject part) || !(part.getValue("type") instanceof String type)) {
        throw ProxyError.invalidRequest(where + ".content[" + i + "] must be an object with a 'type'.", "messages");
      }
      JsonObject cache = part.getValue("cache_control") instanceof JsonObject c ? c : null;
      if (type.equals("text") && part.getValue("text") instanceof String text) {
        parts.add(new Part.Text(text, cache));
      } else if (type.equals("image_url") && imageUrl(part.getValue("image_url")) instanceof String url) {
        String detail = part.getValue("image_url") instanceof JsonObject o && o.getValue("detail") instanceof String d ? d : null;
        parts.add(new Part.Image(url, detail, cache));
      } else if (type.equals("text") || type.equals("image_url")) {
        throw ProxyError.invalidRequest(where + ".content[" + i + "] of type '" + type + "' is missing its "
            + (type.equals("text") ? "'text'" : "'image_url.url'") + ".", "messages");
      } else {
        parts.add(new Part.Other(type, part));
      }
    }
    return parts;
  }

  private static Object imageUrl(Object value) {
    return value instanceof JsonObject o ? o.getValue("url") : value;
  }

  private static List<ToolCall> toolCalls(Object value, String where) {
    if (value == null) return List.of();
    if (!(value instanceof JsonArray array)) {
      throw ProxyError.invalidRequest(where + ".tool_calls must be an array.", "messages");
    }
    List<ToolCall> calls = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject call) || !(call.getValue("function") instanceof JsonObject fn)
          || !(fn.getValue("name") instanceof String name)) {
        throw ProxyError.invalidRequest(where + ".tool_calls[" + i + "] must be a function call with a name.", "messages");
      }
      Object args = fn.getValue("arguments");
      String arguments = args == null ? "" : args instanceof String s ? s : String.valueOf(args instanceof JsonObject o ? o.encode() : args);
      calls.add(new ToolCall(call.getValue("id") instanceof String id ? id : null, name, arguments,
          extra(call, Set.of("id", "type", "function"))));
    }
    return calls;
  }

  /** Plain reasoning text, and the signed blocks the proxy handed out with an Anthropic answer. */
  private static List<Thinking> reasoning(JsonObject json) {
    List<Thinking> out = new ArrayList<>();
    if (json.getValue("reasoning_content") instanceof String text && !text.isEmpty()) out.add(Thinking.plain(text));
    if (json.getValue("thinking_blocks") instanceof JsonArray blocks) {
      for (Object item : blocks) {
        if (!(item instanceof JsonObject block)) continue;
        if ("redacted_thinking".equals(block.getValue("type")) && block.getValue("data") instanceof String data) {
          out.add(new Thinking(null, null, data));
        } else if (block.getValue("thinking") instanceof String text) {
          String signature = block.getValue("signature") instanceof String s && !s.isEmpty() ? s : null;
          out.add(new Thinking(text, signature, null));
        }
      }
    }
    return out;
  }

  private static JsonObject extra(JsonObject json, Set<String> modelled) {
    JsonObject extra = null;
    for (var e : json) {
      if (modelled.contains(e.getKey())) continue;
      if (extra == null) extra = new JsonObject();
      extra.put(e.getKey(), e.getValue());
    }
    return extra;
  }
}
