package io.kimiproxy.features.agents;

import io.vertx.core.json.JsonObject;

/** One step of a run, as its log shows it: when, and what happened. */
public record RunLogLine(long timestampMs, String message) {

  public JsonObject toJson() {
    return new JsonObject().put("ts", timestampMs).put("message", message);
  }
}
