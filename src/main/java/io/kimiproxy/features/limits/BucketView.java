package io.kimiproxy.features.limits;

import io.vertx.core.json.JsonObject;

/**
 * One bucket as the API shows it.
 *
 * @param scope   what it limits: "provider:groq", "model:groq/llama-3.3-70b", "client:key-1"
 * @param kind    "rpm" (requests per minute) or "tpm" (tokens per minute)
 * @param resetMs milliseconds until the bucket is full again
 */
public record BucketView(String scope, String kind, long used, long limit, long resetMs, LimitLevel level) {
  public JsonObject toJson() {
    return new JsonObject().put("scope", scope).put("kind", kind).put("used", used).put("limit", limit)
        .put("reset_ms", resetMs).put("level", level.label());
  }
}
