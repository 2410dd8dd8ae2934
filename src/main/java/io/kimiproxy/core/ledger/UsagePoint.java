package io.kimiproxy.core.ledger;

import io.vertx.core.json.JsonObject;

/** Usage of one group (a model, provider or client) within one time bucket starting at {@code bucketStartMs}. */
public record UsagePoint(long bucketStartMs, String key, long requests, long promptTokens,
                         long completionTokens, double costUsd) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("ts", bucketStartMs)
        .put("key", key)
        .put("requests", requests)
        .put("prompt_tokens", promptTokens)
        .put("completion_tokens", completionTokens)
        .put("cost_usd", costUsd);
  }
}
