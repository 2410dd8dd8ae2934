package io.kimiproxy.features.importers;

import io.vertx.core.json.JsonObject;

/**
 * Cline's usage summed over one group of tasks (a day, a model, or all of them).
 *
 * @param key      the day (UTC, yyyy-MM-dd) or the model id; null for the total
 * @param provider the model's provider as Cline recorded it (model groups only)
 */
public record ClineUsageGroup(String key, String provider, long tasks, long tokensIn, long tokensOut,
                              long cacheWrites, long cacheReads, double costUsd) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("tasks", tasks)
        .put("tokens_in", tokensIn)
        .put("tokens_out", tokensOut)
        .put("cache_writes", cacheWrites)
        .put("cache_reads", cacheReads)
        .put("cost_usd", costUsd);
  }
}
