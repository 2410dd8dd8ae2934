package io.kimiproxy.features.agents;

import io.vertx.core.json.JsonObject;

/**
 * Why a run did not succeed, in OpenAI's error terms (what the proxy answered its call with, or the
 * runner's own reason: timeout, interruption), plus the HTTP status it came with.
 */
public record RunError(int status, String type, String code, String message) {

  public JsonObject toJson() {
    return new JsonObject().put("message", message).put("type", type).put("param", null).put("code", code)
        .put("status", status);
  }
}
