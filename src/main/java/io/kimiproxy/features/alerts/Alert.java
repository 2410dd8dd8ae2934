package io.kimiproxy.features.alerts;

import io.vertx.core.json.JsonObject;

/**
 * Something the user should know: a budget running low, a provider failing.
 *
 * @param level "info", "warning" or "critical"
 * @param kind  what raised it: "quota", "provider", ...
 */
public record Alert(long timestampMs, String level, String kind, String message, JsonObject details) {
  public static Alert fromJson(JsonObject json) {
    return new Alert(json.getLong("ts", 0L), json.getString("level"), json.getString("kind"), json.getString("message"),
        json.getJsonObject("details"));
  }

  public JsonObject toJson() {
    return new JsonObject().put("ts", timestampMs).put("level", level).put("kind", kind)
        .put("message", message).put("details", details);
  }
}
