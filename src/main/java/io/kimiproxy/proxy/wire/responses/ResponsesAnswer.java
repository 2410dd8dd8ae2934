package io.kimiproxy.proxy.wire.responses;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A Responses provider's whole answer (a {@code response} object) in the neutral answer's shape, an
 * OpenAI {@code chat.completion}, for the proxy's steps (guardrails, cache, usage): its output text,
 * reasoning summary and function calls, its finish and usage. The client still gets the provider's
 * own body unless a step changed the answer.
 */
final class ResponsesAnswer {
  private ResponsesAnswer() {}

  static JsonObject toChat(JsonObject response, String provider, ReasoningIssuers issuers) {
    StringBuilder text = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    JsonArray calls = new JsonArray();
    if (response.getValue("output") instanceof JsonArray output) {
      for (Object o : output) {
        if (!(o instanceof JsonObject item)) continue;
        switch (String.valueOf(item.getValue("type"))) {
          case "message" -> texts(item.getValue("content"), text);
          case "reasoning" -> {
            texts(item.getValue("summary"), reasoning);
            if (item.getValue("encrypted_content") instanceof String blob) issuers.issued(blob, provider);
          }
          case "function_call", "custom_tool_call" -> {
            Object args = item.containsKey("arguments") ? item.getValue("arguments") : item.getValue("input");
            calls.add(new JsonObject().put("id", item.getValue("call_id")).put("type", "function")
                .put("function", new JsonObject().put("name", item.getValue("name"))
                    .put("arguments", args instanceof String s ? s : "")));
          }
          default -> { }
        }
      }
    }
    JsonObject message = new JsonObject().put("role", "assistant").put("content", text.length() > 0 ? text.toString() : null);
    if (reasoning.length() > 0) message.put("reasoning_content", reasoning.toString());
    if (!calls.isEmpty()) message.put("tool_calls", calls);
    String finish = "incomplete".equals(response.getValue("status")) ? "length" : calls.isEmpty() ? "stop" : "tool_calls";
    JsonObject chat = new JsonObject()
        .put("id", response.getValue("id"))
        .put("object", "chat.completion")
        .put("created", response.getValue("created_at"))
        .put("model", response.getValue("model"))
        .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("message", message)
            .put("finish_reason", finish)));
    JsonObject usage = ResponsesUsage.toChat(response.getValue("usage"));
    if (usage != null) chat.put("usage", usage);
    return chat;
  }

  private static void texts(Object parts, StringBuilder out) {
    if (!(parts instanceof JsonArray array)) return;
    for (Object p : array) {
      if (p instanceof JsonObject part && part.getValue("text") instanceof String s) out.append(s);
    }
  }
}
