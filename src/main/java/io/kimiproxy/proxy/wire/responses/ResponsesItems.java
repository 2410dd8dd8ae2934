package io.kimiproxy.proxy.wire.responses;

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

/**
 * The items of a Responses {@code input} to and from the neutral model: messages (input_text,
 * input_image, input_file, output_text), function calls and their outputs, reasoning. Items the
 * neutral model cannot say (hosted tool calls, custom tool calls, item references) are kept whole
 * as a {@link Part.Other} of type {@code item:<type>}: a provider that speaks Responses gets them
 * as they came, a translating one refuses them by name ({@link ResponsesTranslation}).
 *
 * <p>Reasoning becomes plain reasoning text (its summary): the encrypted content OpenAI hands out
 * can only go back to the provider that issued it, so it stays in the client's bytes, where the
 * passthrough finds it ({@link ResponsesBodies}). Reasoning the proxy itself sealed into
 * {@code encrypted_content} (signed thinking from an Anthropic provider, see {@link SealedThinking})
 * comes back as the signed thinking it was.
 */
public final class ResponsesItems {
  /** The {@link Part.Other} type prefix of an item only a Responses provider can take. */
  public static final String FOREIGN = "item:";

  private ResponsesItems() {}

  /** The item at {@code input[index]}, {@code bytes} long in the body; a malformed one is a 400 naming it. */
  public static InputItem decode(JsonObject item, int index, long bytes) {
    String where = "input[" + index + "]";
    String type = item.getValue("type") instanceof String t ? t : item.containsKey("role") ? "message" : null;
    if (type == null) throw invalid(where + " must be an object with a 'type' (or a message with a 'role').");
    return switch (type) {
      case "message" -> message(item, where, bytes);
      case "function_call" -> new InputItem(InputItem.Kind.CALL, null, call(item, where), null, bytes);
      case "function_call_output" -> new InputItem(InputItem.Kind.OUTPUT,
          new Message(Role.TOOL, output(item.getValue("output"), where), form(item.getValue("output")), List.of(),
              string(item, "call_id", where), null, List.of(), null), null, null, bytes);
      case "reasoning" -> new InputItem(InputItem.Kind.REASONING, null, null, reasoning(item), bytes);
      default -> new InputItem(InputItem.Kind.FOREIGN, new Message(type.endsWith("_output") ? Role.USER : Role.ASSISTANT,
          List.of(new Part.Other(FOREIGN + type, item)), ContentForm.PARTS, List.of(), null, null, List.of(), null),
          null, null, bytes);
    };
  }

  /** The item type of a part that stands for a whole foreign item, or null for any other part. */
  public static String foreignType(Part part) {
    return part instanceof Part.Other o && o.type().startsWith(FOREIGN) ? o.type().substring(FOREIGN.length()) : null;
  }

  private static InputItem message(JsonObject item, String where, long bytes) {
    if (!(item.getValue("role") instanceof String roleName)) throw invalid(where + " is a message without a 'role'.");
    Role role = switch (roleName) {
      // Chat providers know "system"; Responses' developer messages mean the same to them.
      case "system", "developer" -> Role.SYSTEM;
      case "user" -> Role.USER;
      case "assistant" -> Role.ASSISTANT;
      default -> throw invalid(where + ".role '" + roleName + "' is not one of user, assistant, system, developer.");
    };
    Object content = item.getValue("content");
    List<Part> parts = content instanceof String text ? List.of(new Part.Text(text))
        : content instanceof JsonArray array ? parts(array, where + ".content")
        : null;
    if (parts == null) throw invalid(where + ".content must be a string or an array of content parts.");
    ContentForm form = content instanceof String || onlyOneText(parts) ? ContentForm.STRING : ContentForm.PARTS;
    if (role == Role.SYSTEM && form == ContentForm.PARTS && onlyText(parts)) {
      // Several providers take a system message's content only as a string.
      parts = List.of(new Part.Text(String.join("\n", parts.stream().map(p -> ((Part.Text) p).text()).toList())));
      form = ContentForm.STRING;
    }
    Message message = new Message(role, parts, form, List.of(), null, null, List.of(), null);
    return new InputItem(role == Role.ASSISTANT ? InputItem.Kind.ASSISTANT_TEXT : InputItem.Kind.MESSAGE, message,
        null, null, bytes);
  }

  private static List<Part> parts(JsonArray array, String where) {
    List<Part> parts = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject part) || !(part.getValue("type") instanceof String type)) {
        throw invalid(where + "[" + i + "] must be an object with a 'type'.");
      }
      switch (type) {
        case "input_text", "output_text", "text" -> parts.add(new Part.Text(text(part, "text", where + "[" + i + "]")));
        case "refusal" -> parts.add(new Part.Text(text(part, "refusal", where + "[" + i + "]")));
        case "input_image" -> {
          if (!(part.getValue("image_url") instanceof String url)) {
            throw invalid(where + "[" + i + "] is an input_image without an 'image_url' (file ids need a provider that "
                + "speaks Responses).");
          }
          parts.add(new Part.Image(url, part.getValue("detail") instanceof String d ? d : null, null));
        }
        case "input_file" -> parts.add(new Part.Other("file", file(part)));
        default -> parts.add(new Part.Other(type, part));
      }
    }
    return parts;
  }

  /** Chat Completions' file part, for the providers that take one. */
  private static JsonObject file(JsonObject part) {
    JsonObject file = new JsonObject();
    for (String field : List.of("file_data", "file_id", "filename")) {
      if (part.getValue(field) instanceof String s) file.put(field, s);
    }
    return new JsonObject().put("type", "file").put("file", file);
  }

  private static ToolCall call(JsonObject item, String where) {
    String name = string(item, "name", where);
    Object args = item.getValue("arguments");
    String arguments = args == null ? "" : args instanceof String s ? s : args instanceof JsonObject o ? o.encode()
        : String.valueOf(args);
    return new ToolCall(string(item, "call_id", where), name, arguments, null);
  }

  /** A function call's output: text, or input_text and input_image parts. */
  private static List<Part> output(Object output, String where) {
    if (output instanceof String text) return List.of(new Part.Text(text));
    if (output instanceof JsonArray array) return parts(array, where + ".output");
    throw invalid(where + ".output must be a string or an array of content parts.");
  }

  private static ContentForm form(Object output) {
    return output instanceof String ? ContentForm.STRING : ContentForm.PARTS;
  }

  /** The summary as plain reasoning; the proxy's own sealed thinking as the signed blocks it was. */
  private static List<Thinking> reasoning(JsonObject item) {
    if (item.getValue("encrypted_content") instanceof String sealed && SealedThinking.isOurs(sealed)) {
      List<Thinking> blocks = SealedThinking.open(sealed);
      if (!blocks.isEmpty()) return blocks;
    }
    StringBuilder text = new StringBuilder();
    for (String field : List.of("summary", "content")) {
      if (!(item.getValue(field) instanceof JsonArray parts)) continue;
      for (Object p : parts) {
        if (p instanceof JsonObject part && part.getValue("text") instanceof String s && !s.isEmpty()) {
          if (text.length() > 0) text.append("\n\n");
          text.append(s);
        }
      }
      if (text.length() > 0) break; // the summary, else the full reasoning text some servers return
    }
    return text.length() == 0 ? List.of() : List.of(Thinking.plain(text.toString()));
  }

  /** The items a message becomes in a Responses {@code input}, for a provider that speaks Responses. */
  public static List<JsonObject> encode(Message message) {
    List<JsonObject> items = new ArrayList<>();
    for (Part part : message.content()) {
      if (foreignType(part) != null) items.add(((Part.Other) part).json());
    }
    if (!items.isEmpty()) return items;
    switch (message.role()) {
      case TOOL -> items.add(new JsonObject().put("type", "function_call_output").put("call_id", message.toolCallId())
          .put("output", message.form() == ContentForm.STRING ? message.text() : encodeParts(message.content(), false)));
      case ASSISTANT -> {
        if (!message.content().isEmpty()) items.add(messageItem("assistant", message));
        for (ToolCall call : message.toolCalls()) {
          items.add(new JsonObject().put("type", "function_call").put("call_id", call.id()).put("name", call.name())
              .put("arguments", call.arguments()));
        }
      }
      default -> items.add(messageItem(message.role() == Role.USER ? "user" : "system", message));
    }
    return items;
  }

  private static JsonObject messageItem(String role, Message message) {
    boolean assistant = role.equals("assistant");
    Object content = message.form() == ContentForm.STRING && !assistant ? message.text()
        : encodeParts(message.content(), assistant);
    return new JsonObject().put("type", "message").put("role", role).put("content", content);
  }

  private static JsonArray encodeParts(List<Part> parts, boolean assistant) {
    JsonArray out = new JsonArray();
    for (Part part : parts) {
      if (part instanceof Part.Text t) {
        out.add(new JsonObject().put("type", assistant ? "output_text" : "input_text").put("text", t.text()));
      } else if (part instanceof Part.Image i) {
        JsonObject image = new JsonObject().put("type", "input_image").put("image_url", i.url());
        out.add(image.put("detail", i.detail() != null ? i.detail() : "auto"));
      } else if (part instanceof Part.Other o && o.type().equals("file") && o.json().getValue("file") instanceof JsonObject f) {
        out.add(f.copy().put("type", "input_file"));
      } else if (part instanceof Part.Other o) {
        out.add(o.json());
      }
    }
    return out;
  }

  private static boolean onlyText(List<Part> parts) {
    return parts.stream().allMatch(p -> p instanceof Part.Text);
  }

  private static boolean onlyOneText(List<Part> parts) {
    return parts.size() == 1 && parts.get(0) instanceof Part.Text;
  }

  private static String string(JsonObject item, String field, String where) {
    if (!(item.getValue(field) instanceof String s) || s.isEmpty()) {
      throw invalid(where + "." + field + " is required and must be a non-empty string.");
    }
    return s;
  }

  private static String text(JsonObject part, String field, String where) {
    if (!(part.getValue(field) instanceof String s)) throw invalid(where + " is missing its '" + field + "'.");
    return s;
  }

  private static ProxyError invalid(String message) {
    return ProxyError.invalidRequest(message, "input");
  }
}
