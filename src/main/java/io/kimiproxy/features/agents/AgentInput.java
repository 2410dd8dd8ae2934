package io.kimiproxy.features.agents;

import io.kimiproxy.core.model.MessageContent;
import io.kimiproxy.config.AgentConfig;
import io.kimiproxy.core.error.ErrorType;
import io.kimiproxy.core.error.ProxyError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The body of {@code POST /api/agents/<id>/run}: {@code input} (a string, sent as one user message,
 * or a messages array) and optional {@code params} that override the preset's for this run.
 * Anything else is refused with a 422, so a misspelt field is not silently ignored.
 *
 * @param preview the start of what the agent is asked, to recognise the run in a list
 */
public record AgentInput(JsonArray messages, JsonObject params, String preview) {
  static final int PREVIEW_CHARS = 500;
  private static final Set<String> FIELDS = Set.of("input", "params");

  public static AgentInput parse(Buffer raw) {
    JsonObject body;
    try {
      body = raw == null || raw.length() == 0 ? null : raw.toJsonObject();
    } catch (RuntimeException e) {
      body = null;
    }
    if (body == null) throw invalid("The body must be a JSON object: {\"input\": \"...\", \"params\": {...}}.");
    for (String field : body.fieldNames()) {
      if (!FIELDS.contains(field)) throw invalid("Unknown field '" + field + "': the body has 'input' and 'params'.");
    }
    JsonArray messages;
    String asked;
    Object input = body.getValue("input");
    if (input instanceof String text) {
      if (text.isBlank()) throw invalid("'input' is empty.");
      messages = new JsonArray().add(new JsonObject().put("role", "user").put("content", text));
      asked = text;
    } else if (input instanceof JsonArray list) {
      messages = checkedMessages(list);
      asked = lastText(messages);
    } else {
      throw invalid("'input' is required: a string, or an array of chat messages.");
    }
    Object params = body.getValue("params");
    if (params != null && !(params instanceof JsonObject)) throw invalid("'params' must be an object of Chat Completions parameters.");
    JsonObject overrides = params == null ? new JsonObject() : (JsonObject) params;
    for (String key : overrides.fieldNames()) {
      if (AgentConfig.RESERVED_PARAMS.contains(key)) {
        throw invalid("'params' may not set '" + key + "': the agent's preset and runner decide it.");
      }
    }
    return new AgentInput(messages, overrides, preview(asked));
  }

  private static JsonArray checkedMessages(JsonArray list) {
    if (list.isEmpty()) throw invalid("'input' is an empty array: send at least one message.");
    for (int i = 0; i < list.size(); i++) {
      if (!(list.getValue(i) instanceof JsonObject message) || !(message.getValue("role") instanceof String)) {
        throw invalid("input[" + i + "] must be a chat message: an object with a 'role' and a 'content'.");
      }
    }
    return list;
  }

  /** The text of the last message: what the agent is asked, in a conversation. */
  private static String lastText(JsonArray messages) {
    return MessageContent.text(messages.getJsonObject(messages.size() - 1).getValue("content"));
  }

  private static String preview(String text) {
    return text.length() <= PREVIEW_CHARS ? text : text.substring(0, PREVIEW_CHARS) + "…";
  }

  private static ProxyError invalid(String message) {
    return ProxyError.of(422, ErrorType.INVALID_REQUEST, "invalid_agent_input", message);
  }
}
