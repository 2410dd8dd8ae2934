package io.kimiproxy.features.contextmap;

import io.vertx.core.json.JsonObject;

/**
 * One part of a prompt in a context map: a message, or the tool definitions ({@code index} -1).
 *
 * @param kind    system, tool_definitions, user_text, assistant, tool_output or attachment
 * @param flag    ok, long or too_long against the configured thresholds
 * @param preview the first characters of the part as sent upstream (after redaction)
 */
public record ContextPart(int index, String role, String kind, int tokens, String flag, String preview) {

  public JsonObject toJson() {
    return new JsonObject().put("index", index).put("role", role).put("kind", kind).put("tokens", tokens)
        .put("flag", flag).put("preview", preview);
  }

  public static ContextPart fromJson(JsonObject json) {
    return new ContextPart(json.getInteger("index"), json.getString("role"), json.getString("kind"),
        json.getInteger("tokens"), json.getString("flag"), json.getString("preview"));
  }
}
