package io.kimiproxy.features.agents;

import io.kimiproxy.core.model.MessageContent;
import io.kimiproxy.core.error.ErrorType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A run's answer read as Chat Completions: the first choice's text and the usage on success, the
 * error envelope ({@code {"error":{message,type,code}}}) the proxy answers every failure with otherwise.
 */
record ProxyAnswer(int status, String requestId, JsonObject json) {

  static ProxyAnswer of(SelfCalls.Answer answer) {
    JsonObject json;
    try {
      json = answer.body().toJsonObject();
    } catch (RuntimeException e) {
      json = new JsonObject();
    }
    return new ProxyAnswer(answer.status(), answer.requestId(), json);
  }

  boolean succeeded() {
    return status / 100 == 2 && firstMessage() != null;
  }

  /** The answer's text (text parts joined when the content is an array). */
  String text() {
    return MessageContent.text(firstMessage().getValue("content"));
  }

  /** The model stopped at max_tokens: the result is cut short. */
  boolean truncated() {
    return "length".equals(firstChoice().getValue("finish_reason"));
  }

  long promptTokens() {
    return usage("prompt_tokens");
  }

  long completionTokens() {
    return usage("completion_tokens");
  }

  RunError error() {
    if (json.getValue("error") instanceof JsonObject e && e.getValue("message") instanceof String message) {
      String type = e.getValue("type") instanceof String t ? t : ErrorType.forStatus(status);
      return new RunError(status, type, e.getValue("code") == null ? null : String.valueOf(e.getValue("code")), message);
    }
    if (status / 100 == 2) {
      return new RunError(502, ErrorType.UPSTREAM, "bad_agent_response", "The answer has no message in its first choice.");
    }
    return new RunError(status, ErrorType.forStatus(status), null, "The proxy answered HTTP " + status + " without an error message.");
  }

  private JsonObject firstChoice() {
    if (json.getValue("choices") instanceof JsonArray choices && !choices.isEmpty()
        && choices.getValue(0) instanceof JsonObject choice) {
      return choice;
    }
    return new JsonObject();
  }

  private JsonObject firstMessage() {
    return firstChoice().getValue("message") instanceof JsonObject message ? message : null;
  }

  private long usage(String field) {
    return json.getValue("usage") instanceof JsonObject u && u.getValue(field) instanceof Number n ? n.longValue() : 0;
  }
}
