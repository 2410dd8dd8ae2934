package io.kimiproxy.proxy.inbound.responses;

import io.kimiproxy.proxy.wire.NonStreamReply;
import io.kimiproxy.proxy.wire.responses.ResponsesUsage;
import io.kimiproxy.proxy.wire.responses.SealedThinking;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A whole answer as a Responses {@code response} object: the provider's own body when it serves
 * Responses and no step changed the answer; else made from the neutral answer (a
 * {@code chat.completion}): its reasoning as a reasoning item, its text as an assistant message,
 * its tool calls as function_call items, its usage in the Responses API's words.
 */
final class ResponsesReply {
  private ResponsesReply() {}

  static Buffer of(NonStreamReply reply, ResponseShape shape) {
    if (reply.origin() != null) return reply.origin();
    JsonObject choice = reply.json().getValue("choices") instanceof JsonArray choices && !choices.isEmpty()
        && choices.getValue(0) instanceof JsonObject c ? c : new JsonObject();
    JsonObject message = choice.getValue("message") instanceof JsonObject m ? m : new JsonObject();
    JsonArray output = new JsonArray();
    Object reasoning = message.getValue("reasoning_content") != null ? message.getValue("reasoning_content")
        : message.getValue("reasoning");
    JsonArray sealed = message.getValue("thinking_blocks") instanceof JsonArray blocks && !blocks.isEmpty() ? blocks : null;
    if (reasoning instanceof String text && !text.isEmpty() || sealed != null) {
      JsonArray summary = new JsonArray();
      if (reasoning instanceof String text && !text.isEmpty()) {
        summary.add(new JsonObject().put("type", "summary_text").put("text", text));
      }
      JsonObject item = new JsonObject().put("id", ResponseShape.newId("rs")).put("type", "reasoning").put("summary", summary);
      if (sealed != null) item.put("encrypted_content", SealedThinking.seal(sealed));
      output.add(item);
    }
    if (message.getValue("content") instanceof String text && !text.isEmpty()) {
      output.add(new JsonObject().put("id", ResponseShape.newId("msg")).put("type", "message").put("status", "completed")
          .put("content", new JsonArray().add(new JsonObject().put("type", "output_text").put("annotations", new JsonArray())
              .put("logprobs", new JsonArray()).put("text", text)))
          .put("role", "assistant"));
    }
    if (message.getValue("tool_calls") instanceof JsonArray calls) {
      for (Object c : calls) {
        if (!(c instanceof JsonObject call) || !(call.getValue("function") instanceof JsonObject fn)) continue;
        output.add(new JsonObject().put("id", ResponseShape.newId("fc")).put("type", "function_call")
            .put("status", "completed").put("arguments", fn.getValue("arguments") instanceof String a ? a : "")
            .put("call_id", call.getValue("id") instanceof String id ? id : ResponseShape.newId("call"))
            .put("name", fn.getValue("name")));
      }
    }
    Object finish = choice.getValue("finish_reason");
    String incomplete = "length".equals(finish) ? "max_output_tokens" : "content_filter".equals(finish) ? "content_filter"
        : null;
    JsonObject usage = reply.usage() == null ? null : ResponsesUsage.of(reply.usage());
    return shape.response(incomplete == null ? "completed" : "incomplete", output, usage, null, incomplete).toBuffer();
  }
}
