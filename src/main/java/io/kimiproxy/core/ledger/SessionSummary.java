package io.kimiproxy.core.ledger;

import io.vertx.core.json.JsonObject;

/**
 * A conversation as the ledger sees it. {@code contextFill} is the last request's prompt tokens
 * over the model's context window (not a running sum); totals are cumulative. {@code phase} and
 * the memory/chat split are those of the session's latest context map (null phase before one).
 */
public record SessionSummary(
    String id,
    String client,
    String modelAlias,
    String provider,
    long firstSeenMs,
    long lastSeenMs,
    long requestCount,
    long errorCount,
    long promptTokensTotal,
    long completionTokensTotal,
    double costTotal,
    long lastPromptTokens,
    long maxContext,
    double contextFill,
    String phase,
    long memoryTokens,
    long chatTokens) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("client", client)
        .put("model", modelAlias)
        .put("provider", provider)
        .put("first_seen", firstSeenMs)
        .put("last_seen", lastSeenMs)
        .put("request_count", requestCount)
        .put("error_count", errorCount)
        .put("prompt_tokens", promptTokensTotal)
        .put("completion_tokens", completionTokensTotal)
        .put("cost_usd", costTotal)
        .put("last_prompt_tokens", lastPromptTokens)
        .put("max_context", maxContext)
        .put("context_fill", contextFill)
        .put("phase", phase)
        .put("memory", memoryShare(memoryTokens, chatTokens));
  }

  /** {"memory_tokens","chat_tokens","memory_share"}: the same shape in the map and the session. */
  public static JsonObject memoryShare(long memoryTokens, long chatTokens) {
    long total = memoryTokens + chatTokens;
    return new JsonObject().put("memory_tokens", memoryTokens).put("chat_tokens", chatTokens)
        .put("memory_share", total == 0 ? 0.0 : (double) memoryTokens / total);
  }
}
