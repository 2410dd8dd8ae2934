package io.kimiproxy.features.contextmap;

import io.kimiproxy.core.model.ToolDefinition;
import io.kimiproxy.core.model.ToolCall;
import io.kimiproxy.core.model.Message;
import io.kimiproxy.core.model.MessageList;
import io.kimiproxy.config.ContextConfig;
import io.kimiproxy.core.model.Phase;
import io.kimiproxy.core.model.PromptCount;
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
                        long reservedOutput, MessageList messages, List<ToolDefinition> tools, PromptCount count,
                        Phase phase) {}

  public ContextMap map(Request r, long memoryTokens) {
    List<ContextPart> parts = new ArrayList<>(r.messages().size() + 1);
    int i = 0;
    for (; i < r.messages().size() && PartKinds.SYSTEM.equals(PartKinds.of(r.messages().get(i))); i++) {
      parts.add(part(i, r.messages().get(i), r.count().perMessage()[i]));
    }
    if (!r.tools().isEmpty()) {
      parts.add(new ContextPart(-1, "tools", PartKinds.TOOL_DEFINITIONS, r.count().tools(), flag(r.count().tools()),
          toolNames(r.tools())));
    }
    for (; i < r.messages().size(); i++) {
      parts.add(part(i, r.messages().get(i), r.count().perMessage()[i]));
    }
    long prompt = r.count().total();
    double fill = r.maxContext() > 0 ? (double) prompt / r.maxContext() : 0.0;
    return new ContextMap(r.session(), r.requestId(), r.timestampMs(), r.model(), r.maxContext(), r.reservedOutput(),
        prompt, fill, r.phase(), memoryTokens, List.copyOf(parts));
  }

  private ContextPart part(int index, Message message, int tokens) {
    return new ContextPart(index, message.role().wire(), PartKinds.of(message), tokens, flag(tokens),
        preview(message));
  }

  String flag(long tokens) {
    if (tokens > config.tooLongPartTokens()) return TOO_LONG;
    if (tokens > config.longPartTokens()) return LONG;
    return OK;
  }

  /** The text, or for a message that only calls tools, the calls as name(arguments). */
  static String preview(Message message) {
    String text = message.text();
    if (text.isBlank() && !message.toolCalls().isEmpty()) {
      StringBuilder out = new StringBuilder();
      for (ToolCall call : message.toolCalls()) {
        if (out.length() > 0) out.append(' ');
        out.append(call.name()).append('(').append(call.arguments(), 0, Math.min(call.arguments().length(), PREVIEW_CHARS))
            .append(')');
        if (out.length() >= PREVIEW_CHARS) break;
      }
      text = out.toString();
    }
    return cut(text);
  }

  private static String toolNames(List<ToolDefinition> tools) {
    StringBuilder out = new StringBuilder();
    for (ToolDefinition tool : tools) {
      if (out.length() > 0) out.append(", ");
      out.append(tool.name());
      if (out.length() >= PREVIEW_CHARS) break;
    }
    return cut(tools.size() + " tools: " + out);
  }

  private static String cut(String text) {
    return text.length() <= PREVIEW_CHARS ? text : text.substring(0, PREVIEW_CHARS);
  }
}
