package io.kimiproxy.core.model;

import io.vertx.core.json.JsonObject;

/**
 * A tool call the model made.
 *
 * @param arguments the arguments as the JSON text the model wrote (not always valid JSON)
 * @param extra     provider fields to hand back as they came (e.g. Gemini's thought signature), or null
 */
public record ToolCall(String id, String name, String arguments, JsonObject extra) {
  public ToolCall withArguments(String other) {
    return new ToolCall(id, name, other, extra);
  }
}
