package io.kimiproxy.core.model;

import io.kimiproxy.core.util.ContentKey;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One message of a conversation, in the proxy's neutral model: what every inbound format maps
 * into and every provider's mapper reads.
 *
 * @param content    the parts (text, images, ...) in order; empty when there is no content
 * @param form       how the client wrote the content, kept for re-encoding
 * @param toolCalls  the tool calls of an assistant turn (empty otherwise)
 * @param toolCallId the call a tool message answers (null otherwise)
 * @param name       the optional author name (OpenAI's {@code name}), or null
 * @param reasoning  the reasoning an assistant turn carried (empty otherwise)
 * @param extra      fields of the client's message the proxy does not model, handed on to providers
 *                   of the same format as they came (e.g. Kimi's {@code partial}); null when none
 */
public record Message(Role role, List<Part> content, ContentForm form, List<ToolCall> toolCalls, String toolCallId,
                      String name, List<Thinking> reasoning, JsonObject extra) {

  public Message {
    content = List.copyOf(content);
    toolCalls = List.copyOf(toolCalls);
    reasoning = List.copyOf(reasoning);
  }

  /** A message of plain text. */
  public static Message text(Role role, String text) {
    return new Message(role, List.of(new Part.Text(text)), ContentForm.STRING, List.of(), null, null, List.of(), null);
  }

  /** The result of a tool call, as text. */
  public static Message toolResult(String toolCallId, String text) {
    return new Message(Role.TOOL, List.of(new Part.Text(text)), ContentForm.STRING, List.of(), toolCallId, null,
        List.of(), null);
  }

  /** Its text parts joined by newlines (empty when none). */
  public String text() {
    if (content.size() == 1 && content.get(0) instanceof Part.Text t) return t.text();
    StringBuilder out = new StringBuilder();
    for (Part part : content) {
      if (part instanceof Part.Text t) {
        if (out.length() > 0) out.append('\n');
        out.append(t.text());
      }
    }
    return out.toString();
  }

  public Message withContent(List<Part> parts) {
    return new Message(role, parts, form == ContentForm.NONE && !parts.isEmpty() ? ContentForm.STRING : form, toolCalls, toolCallId, name,
        reasoning, extra);
  }

  public Message withToolCalls(List<ToolCall> calls) {
    return new Message(role, content, form, calls, toolCallId, name, reasoning, extra);
  }

  public Message withReasoning(List<Thinking> blocks) {
    return new Message(role, content, form, toolCalls, toolCallId, name, blocks, extra);
  }

  /** A key of everything the message says: equal messages, whatever their origin, have equal keys. */
  public ContentKey key() {
    ContentKey key = new ContentKey(role.ordinal(), form.ordinal());
    for (Part part : content) {
      if (part instanceof Part.Text t) {
        key = key.then(1).then(ContentKey.of(t.text())).then(json(t.cacheControl()));
      } else if (part instanceof Part.Image i) {
        key = key.then(2).then(ContentKey.of(i.url())).then(ContentKey.of(String.valueOf(i.detail())))
            .then(json(i.cacheControl()));
      } else if (part instanceof Part.Other o) {
        key = key.then(3).then(json(o.json()));
      }
    }
    for (ToolCall call : toolCalls) {
      key = key.then(4).then(ContentKey.of(String.valueOf(call.id()))).then(ContentKey.of(call.name()))
          .then(ContentKey.of(call.arguments())).then(json(call.extra()));
    }
    for (Thinking t : reasoning) {
      key = key.then(5).then(ContentKey.of(String.valueOf(t.text()))).then(ContentKey.of(String.valueOf(t.signature())))
          .then(ContentKey.of(String.valueOf(t.data())));
    }
    return key.then(ContentKey.of(String.valueOf(toolCallId))).then(ContentKey.of(String.valueOf(name))).then(json(extra));
  }

  /** About how many bytes the message holds, for caches bounded by size. */
  public long weight() {
    long bytes = 96;
    for (Part part : content) {
      if (part instanceof Part.Text t) {
        bytes += 48 + t.text().length();
      } else if (part instanceof Part.Image i) {
        bytes += 48 + i.url().length();
      } else {
        bytes += 256;
      }
    }
    for (ToolCall call : toolCalls) bytes += 64 + call.name().length() + call.arguments().length();
    for (Thinking t : reasoning) {
      bytes += 48 + length(t.text()) + length(t.signature()) + length(t.data());
    }
    return bytes;
  }

  private static int length(String s) {
    return s == null ? 0 : s.length();
  }

  private static ContentKey json(JsonObject json) {
    return json == null ? new ContentKey(0, 0) : ContentKey.of(json.encode());
  }
}
