package io.kimiproxy.proxy.inbound.responses;

import io.kimiproxy.proxy.wire.responses.SealedThinking;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;

/**
 * The neutral stream (Chat Completions chunks) as Responses output items and their events:
 * reasoning text as a reasoning item with a summary, text as an assistant message with one
 * output_text part, each tool call as a function_call item. One item is open at a time, as in the
 * Responses API: a new kind of content, or the next call, closes it. A call is over when the next
 * one starts, as for the guardrails that judged it; a piece of a call's arguments arriving after
 * that would contradict what was judged, and is not sent. Only the first choice is written: the
 * Responses API has no {@code n}.
 */
final class TranslatedOutput {
  private final ResponseEvents events;
  /** The neutral stream's index of every call begun. */
  private final Set<Integer> calls = new HashSet<>();
  private Open open;
  private Call call;
  private String finish;

  /** The text or reasoning item being written. */
  private static final class Open {
    final boolean reasoning;
    final int index;
    final String id;
    final StringBuilder text = new StringBuilder();
    JsonArray sealed;
    boolean summaryOpen;

    Open(boolean reasoning, int index, String id) {
      this.reasoning = reasoning;
      this.index = index;
      this.id = id;
    }
  }

  /** A function call being written. */
  private static final class Call {
    final int neutralIndex;
    final int index;
    final String id = ResponseShape.newId("fc");
    final String callId;
    String name;
    final StringBuilder arguments = new StringBuilder();

    Call(int neutralIndex, int index, String callId, String name) {
      this.neutralIndex = neutralIndex;
      this.index = index;
      this.callId = callId;
      this.name = name;
    }
  }

  TranslatedOutput(ResponseEvents events) {
    this.events = events;
  }

  /** The finish reason the neutral stream gave (stop, length, tool_calls, content_filter), or null. */
  String finish() {
    return finish;
  }

  void accept(JsonObject chunk, Buffer out) {
    if (!(chunk.getValue("choices") instanceof JsonArray choices)) return;
    for (Object c : choices) {
      if (!(c instanceof JsonObject choice) || choice.getValue("index") instanceof Number n && n.intValue() != 0) continue;
      if (choice.getValue("delta") instanceof JsonObject delta) delta(delta, out);
      if (choice.getValue("finish_reason") instanceof String reason) finish = reason;
    }
  }

  private void delta(JsonObject delta, Buffer out) {
    Object reasoning = delta.getValue("reasoning_content") != null ? delta.getValue("reasoning_content")
        : delta.getValue("reasoning");
    if (reasoning instanceof String text && !text.isEmpty()) reasoning(text, out);
    if (delta.getValue("thinking_blocks") instanceof JsonArray blocks && !blocks.isEmpty()) sealed(blocks, out);
    if (delta.getValue("content") instanceof String text && !text.isEmpty()) text(text, out);
    if (delta.getValue("tool_calls") instanceof JsonArray entries) {
      for (Object e : entries) {
        if (e instanceof JsonObject entry) call(entry, out);
      }
    }
  }

  private void reasoning(String text, Buffer out) {
    Open item = opened(true, out);
    if (!item.summaryOpen) {
      item.summaryOpen = true;
      events.write(out, "response.reasoning_summary_part.added", at(item).put("summary_index", 0)
          .put("part", summary("")));
    }
    item.text.append(text);
    events.write(out, "response.reasoning_summary_text.delta", at(item).put("summary_index", 0).put("delta", text));
  }

  /** Signed thinking travels in the reasoning item's encrypted content, which the client sends back. */
  private void sealed(JsonArray blocks, Buffer out) {
    Open item = opened(true, out);
    if (item.sealed == null) item.sealed = new JsonArray();
    blocks.forEach(item.sealed::add);
  }

  private void text(String text, Buffer out) {
    Open item = opened(false, out);
    item.text.append(text);
    events.write(out, "response.output_text.delta", at(item).put("content_index", 0).put("delta", text)
        .put("logprobs", new JsonArray()));
  }

  /** The open item of this kind, or a new one (closing whatever item was open). */
  private Open opened(boolean reasoning, Buffer out) {
    if (open != null && open.reasoning == reasoning) return open;
    finishItems(out);
    open = new Open(reasoning, events.allocate(), ResponseShape.newId(reasoning ? "rs" : "msg"));
    JsonObject item = reasoning ? new JsonObject().put("id", open.id).put("type", "reasoning").put("summary", new JsonArray())
        : message(open.id, "in_progress", new JsonArray());
    events.write(out, "response.output_item.added", new JsonObject().put("output_index", open.index).put("item", item));
    if (!reasoning) {
      events.write(out, "response.content_part.added", at(open).put("content_index", 0).put("part", outputText("")));
    }
    return open;
  }

  private void call(JsonObject entry, Buffer out) {
    int index = entry.getValue("index") instanceof Number n ? n.intValue() : calls.size();
    JsonObject function = entry.getValue("function") instanceof JsonObject f ? f : new JsonObject();
    if (call == null || call.neutralIndex != index) {
      if (!calls.add(index)) return; // a late piece of a call already closed
      finishItems(out);
      String callId = entry.getValue("id") instanceof String s && !s.isEmpty() ? s : ResponseShape.newId("call");
      call = new Call(index, events.allocate(), callId, function.getValue("name") instanceof String s ? s : "");
      events.write(out, "response.output_item.added", new JsonObject().put("output_index", call.index)
          .put("item", functionCall(call, "in_progress", "")));
    }
    if (call.name.isEmpty() && function.getValue("name") instanceof String name) call.name = name;
    if (function.getValue("arguments") instanceof String args && !args.isEmpty()) {
      call.arguments.append(args);
      events.write(out, "response.function_call_arguments.delta", new JsonObject().put("item_id", call.id)
          .put("output_index", call.index).put("delta", args));
    }
  }

  /** Closes the open item, whatever it is: the answer is over, or the provider's own events go on. */
  void finishItems(Buffer out) {
    closeOpen(out);
    if (call == null) return;
    Call done = call;
    call = null;
    String arguments = done.arguments.toString();
    events.write(out, "response.function_call_arguments.done", new JsonObject().put("item_id", done.id)
        .put("output_index", done.index).put("arguments", arguments));
    JsonObject item = functionCall(done, "completed", arguments);
    events.write(out, "response.output_item.done", new JsonObject().put("output_index", done.index).put("item", item));
    events.done(done.index, item);
  }

  private void closeOpen(Buffer out) {
    if (open == null) return;
    Open item = open;
    open = null;
    String text = item.text.toString();
    JsonObject done;
    if (item.reasoning) {
      JsonArray summary = new JsonArray();
      if (item.summaryOpen) {
        events.write(out, "response.reasoning_summary_text.done", at(item).put("summary_index", 0).put("text", text));
        events.write(out, "response.reasoning_summary_part.done", at(item).put("summary_index", 0).put("part", summary(text)));
        summary.add(summary(text));
      }
      done = new JsonObject().put("id", item.id).put("type", "reasoning").put("summary", summary);
      if (item.sealed != null) done.put("encrypted_content", SealedThinking.seal(item.sealed));
    } else {
      events.write(out, "response.output_text.done", at(item).put("content_index", 0).put("text", text)
          .put("logprobs", new JsonArray()));
      events.write(out, "response.content_part.done", at(item).put("content_index", 0).put("part", outputText(text)));
      done = message(item.id, "completed", new JsonArray().add(outputText(text)));
    }
    events.write(out, "response.output_item.done", new JsonObject().put("output_index", item.index).put("item", done));
    events.done(item.index, done);
  }

  private static JsonObject at(Open item) {
    return new JsonObject().put("item_id", item.id).put("output_index", item.index);
  }

  private static JsonObject message(String id, String status, JsonArray content) {
    return new JsonObject().put("id", id).put("type", "message").put("status", status).put("content", content)
        .put("role", "assistant");
  }

  private static JsonObject outputText(String text) {
    return new JsonObject().put("type", "output_text").put("annotations", new JsonArray()).put("logprobs", new JsonArray())
        .put("text", text);
  }

  private static JsonObject summary(String text) {
    return new JsonObject().put("type", "summary_text").put("text", text);
  }

  private static JsonObject functionCall(Call call, String status, String arguments) {
    return new JsonObject().put("id", call.id).put("type", "function_call").put("status", status)
        .put("arguments", arguments).put("call_id", call.callId).put("name", call.name);
  }
}
