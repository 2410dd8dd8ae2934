package io.kimiproxy.features.contextmap;

import io.kimiproxy.core.model.MessageContent;
import io.kimiproxy.config.ContextConfig;
import io.kimiproxy.core.model.Phase;
import io.kimiproxy.core.model.PromptCount;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the context map of a request as it goes upstream: the leading system messages, the tool
 * definitions, then every other message, each with its tokens, kind, flag and a short preview.
 */
public final class ContextMapper {
  public static final int PREVIEW_CHARS = 200;
  static final String OK = "ok";
  static final String LONG = "long";
  static final String TOO_LONG = "too_long";

  private final ContextConfig config;

  public ContextMapper(ContextConfig config) {
    this.config = config;
  }

  /** What one request was: who, which model, and what it sent. */
  public record Request(String session, String requestId, long timestampMs, String model, long maxContext,
                        long reservedOutput, JsonArray messages, JsonArray tools, PromptCount count) {}

  public ContextMap map(Request r, Phase phase, long memoryTokens) {
    List<ContextPart> parts = new ArrayList<>(r.messages().size() + 1);
    int i = 0;
    for (; i < r.messages().size() && PartKinds.SYSTEM.equals(PartKinds.of(r.messages().getJsonObject(i))); i++) {
      parts.add(part(i, r.messages().getJsonObject(i), r.count().perMessage()[i]));
    }
    if (!r.tools().isEmpty()) {
      parts.add(new ContextPart(-1, "tools", PartKinds.TOOL_DEFINITIONS, r.count().tools(), flag(r.count().tools()),
          toolNames(r.tools())));
    }
    for (; i < r.messages().size(); i++) {
      parts.add(part(i, r.messages().getJsonObject(i), r.count().perMessage()[i]));
    }
    long prompt = r.count().total();
    double fill = r.maxContext() > 0 ? (double) prompt / r.maxContext() : 0.0;
    return new ContextMap(r.session(), r.requestId(), r.timestampMs(), r.model(), r.maxContext(), r.reservedOutput(),
        prompt, fill, phase, memoryTokens, List.copyOf(parts));
  }

  private ContextPart part(int index, JsonObject message, int tokens) {
    return new ContextPart(index, message.getString("role", ""), PartKinds.of(message), tokens, flag(tokens),
        preview(message));
  }

  String flag(long tokens) {
    if (tokens > config.tooLongPartTokens()) return TOO_LONG;
    if (tokens > config.longPartTokens()) return LONG;
    return OK;
  }

  /** The text, or for a message that only calls tools, the calls as name(arguments). */
  static String preview(JsonObject message) {
    String text = MessageContent.text(message.getValue("content"));
    if (text.isBlank() && message.getValue("tool_calls") instanceof JsonArray calls) {
      StringBuilder out = new StringBuilder();
      for (Object c : calls) {
        if (c instanceof JsonObject call && call.getValue("function") instanceof JsonObject fn) {
          if (out.length() > 0) out.append(' ');
          out.append(fn.getString("name", "")).append('(').append(String.valueOf(fn.getValue("arguments", ""))).append(')');
          if (out.length() >= PREVIEW_CHARS) break;
        }
      }
      text = out.toString();
    }
    return cut(text);
  }

  private static String toolNames(JsonArray tools) {
    StringBuilder out = new StringBuilder();
    for (Object t : tools) {
      if (!(t instanceof JsonObject tool)) continue;
      JsonObject fn = tool.getValue("function") instanceof JsonObject f ? f : tool;
      if (out.length() > 0) out.append(", ");
      out.append(fn.getString("name", "?"));
      if (out.length() >= PREVIEW_CHARS) break;
    }
    return cut(tools.size() + " tools: " + out);
  }

  private static String cut(String text) {
    return text.length() <= PREVIEW_CHARS ? text : text.substring(0, PREVIEW_CHARS);
  }
}
