package io.kimiproxy.core.model;

import io.kimiproxy.core.error.ProxyError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A client's Chat Completions request: the OpenAI JSON body as sent (the neutral model of the
 * proxy: unknown fields stay in it untouched) plus the facts the pipeline reads from it.
 *
 * @param body        the request JSON; adapters copy it before changing anything
 * @param model       the model name the client asked for (an alias or provider/model)
 * @param stream      whether the client asked for server-sent events
 * @param includeUsage whether the client asked for the final usage chunk
 */
public record ChatRequest(JsonObject body, String model, boolean stream, boolean includeUsage) {

  public static ChatRequest parse(Buffer raw) {
    if (raw == null || raw.length() == 0) {
      throw ProxyError.invalidRequest("Request body is empty: send a JSON object with 'model' and 'messages'.", null);
    }
    int first = 0;
    while (first < raw.length() && Character.isWhitespace(raw.getByte(first))) first++;
    if (first == raw.length() || raw.getByte(first) != '{') {
      throw ProxyError.invalidRequest("Request body must be a JSON object.", null);
    }
    JsonObject body;
    try {
      body = new JsonObject(raw);
    } catch (DecodeException e) {
      throw RequestChecks.notJson(e);
    }
    return fromJson(body);
  }

  public static ChatRequest fromJson(JsonObject body) {
    Object model = body.getValue("model");
    if (!(model instanceof String name) || name.isBlank()) {
      throw ProxyError.invalidRequest("'model' is required and must be a non-empty string.", "model");
    }
    Object messages = body.getValue("messages");
    if (!(messages instanceof JsonArray list) || list.isEmpty()) {
      throw ProxyError.invalidRequest("'messages' is required and must be a non-empty array.", "messages");
    }
    for (int i = 0; i < list.size(); i++) {
      if (!(list.getValue(i) instanceof JsonObject message) || !(message.getValue("role") instanceof String)) {
        throw ProxyError.invalidRequest("messages[" + i + "] must be an object with a 'role'.", "messages");
      }
    }
    Object stream = body.getValue("stream");
    if (stream != null && !(stream instanceof Boolean)) {
      throw ProxyError.invalidRequest("'stream' must be a boolean.", "stream");
    }
    RequestChecks.check(body);
    boolean includeUsage = body.getValue("stream_options") instanceof JsonObject options
        && Boolean.TRUE.equals(options.getValue("include_usage"));
    return new ChatRequest(body, name, Boolean.TRUE.equals(stream), includeUsage);
  }

  public JsonArray messages() {
    return body.getJsonArray("messages");
  }

  /** Tool definitions, or an empty array. */
  public JsonArray tools() {
    return body.getValue("tools") instanceof JsonArray tools ? tools : new JsonArray();
  }

  /** The same request with another body (after a transform such as sanitizing). */
  public ChatRequest withBody(JsonObject newBody) {
    return new ChatRequest(newBody, model, stream, includeUsage);
  }

  /** The same request for another model alias (the body's "model" too). */
  public ChatRequest withModel(String alias) {
    JsonObject newBody = new JsonObject(new java.util.LinkedHashMap<>(body.getMap())).put("model", alias);
    return new ChatRequest(newBody, alias, stream, includeUsage);
  }

  /** The same request with other messages; the rest of the body is shared, not copied. */
  public ChatRequest withMessages(JsonArray messages) {
    JsonObject newBody = new JsonObject(new java.util.LinkedHashMap<>(body.getMap()));
    return withBody(newBody.put("messages", messages));
  }
}
