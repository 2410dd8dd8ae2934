package io.kimiproxy.core.ledger;

import io.vertx.core.json.JsonObject;

/** Usage summed over one group (a model, provider, client or day) of a time range. */
public record UsageGroup(String key, long requests, long errors, long promptTokens,
                         long completionTokens, long cachedTokens, long reasoningTokens,
                         double costUsd, double avgLatencyMs) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("key", key)
        .put("requests", requests)
        .put("errors", errors)
        .put("prompt_tokens", promptTokens)
        .put("completion_tokens", completionTokens)
        .put("cached_tokens", cachedTokens)
        .put("reasoning_tokens", reasoningTokens)
        .put("cost_usd", costUsd)
        .put("avg_latency_ms", avgLatencyMs);
  }
}
