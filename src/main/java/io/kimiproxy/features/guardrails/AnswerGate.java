package io.kimiproxy.features.guardrails;

import io.kimiproxy.proxy.wire.NonStreamReply;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges the tool calls of a whole (non-streaming) answer before it is sent. Blocked calls are
 * removed and the notice is added to the message's content; when no call is left the
 * finish_reason becomes "stop", so the client shows the answer instead of waiting for tool results.
 */
public final class AnswerGate {
  private AnswerGate() {}

  /** The bytes to send: the provider's own when nothing was blocked. */
  public static Buffer filter(NonStreamReply reply, ToolCallInspection inspection) {
    if (inspection == null || !(reply.json().getValue("choices") instanceof JsonArray choices)) return reply.body();
    boolean changed = false;
    for (Object c : choices) {
      if (c instanceof JsonObject choice && choice.getValue("message") instanceof JsonObject message
          && message.getValue("tool_calls") instanceof JsonArray calls) {
        changed |= judge(choice, message, calls, inspection);
      }
    }
    return changed ? reply.json().toBuffer() : reply.body();
  }

  private static boolean judge(JsonObject choice, JsonObject message, JsonArray calls, ToolCallInspection inspection) {
    JsonArray kept = new JsonArray();
    List<String> notices = new ArrayList<>();
    for (int i = 0; i < calls.size(); i++) {
      if (!(calls.getValue(i) instanceof JsonObject call)) continue;
      JsonObject fn = call.getValue("function") instanceof JsonObject f ? f : new JsonObject();
      Object args = fn.getValue("arguments");
      ToolCallVerdict verdict = inspection.inspect(new ToolCall(i, call.getValue("id") instanceof String id ? id : null,
          fn.getValue("name") instanceof String name ? name : "", args instanceof String s ? s : args == null ? "" : String.valueOf(args)));
      if (verdict.blocked()) notices.add(verdict.notice()); else kept.add(call);
    }
    if (notices.isEmpty()) return false;
    String text = BlockNotice.text(notices);
    Object content = message.getValue("content");
    if (content instanceof String s && !s.isEmpty()) {
      message.put("content", s + "\n\n" + text);
    } else if (content instanceof JsonArray parts) {
      parts.add(new JsonObject().put("type", "text").put("text", text));
    } else {
      message.put("content", text);
    }
    if (kept.isEmpty()) {
      message.remove("tool_calls");
      if ("tool_calls".equals(choice.getValue("finish_reason"))) choice.put("finish_reason", "stop");
    } else {
      message.put("tool_calls", kept);
    }
    return true;
  }
}
