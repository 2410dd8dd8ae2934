package io.kimiproxy.features.cache;

import io.vertx.core.json.JsonObject;

/**
 * The index row of one cached answer; the answer itself is a file named after the key.
 *
 * @param preview the first characters of the answer, for the cache browser
 */
public record CacheEntryMeta(String key, long createdMs, long expiresMs, long sizeBytes, String model,
                             String client, boolean stream, long promptTokens, long completionTokens,
                             double costUsd, String preview, long hits, long lastHitMs) {

  public JsonObject toJson() {
    return new JsonObject().put("key", key).put("created", createdMs).put("expires", expiresMs)
        .put("size_bytes", sizeBytes).put("model", model).put("client", client).put("stream", stream)
        .put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens).put("cost_usd", costUsd)
        .put("preview", preview).put("hits", hits).put("last_hit", lastHitMs);
  }
}
