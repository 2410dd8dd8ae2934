package io.kimiproxy.core.ledger;

import io.kimiproxy.core.model.Usage;
import io.vertx.core.json.JsonObject;

/**
 * One row of the usage ledger: a request the proxy answered, or one attempt of it. Rows stay
 * small: numbers and identifiers, never prompt text.
 *
 * @param parentId   null for the request the client sees; the request's id for an earlier attempt
 * @param kind       "chat" for client requests; other kinds (summaries, agents) as features add them
 * @param maxContext the model's context window, to derive the session's fill
 * @param clientKey  which of server.api_keys sent it ("key-2"), or null; never the key itself
 * @param cacheHit   answered from the response cache: no provider call, no cost
 * @param savedUsd   what a cache hit would have cost
 * @param api        the API the client spoke: chat, messages or responses
 * @param steps      queue time and what the proxy's steps did to the request; null for an attempt
 *                   (its request's row has them) and for rows recorded before they were kept
 */
public record RequestRecord(
    String id,
    String parentId,
    int attempt,
    String kind,
    long timestampMs,
    String sessionId,
    String client,
    String modelAlias,
    String provider,
    String upstreamModel,
    boolean stream,
    int status,
    String errorType,
    String errorCode,
    String errorMessage,
    Usage usage,
    boolean tokensEstimated,
    double costUsd,
    long latencyMs,
    Long ttfbMs,
    long maxContext,
    String clientKey,
    boolean cacheHit,
    double savedUsd,
    String api,
    RequestSteps steps) {

  /** Column names of {@link #toJson()} and of the CSV export, in order. */
  public static final java.util.List<String> FIELDS = java.util.List.of("id", "parent_id", "attempt", "kind", "ts",
      "session", "client", "model", "provider", "upstream_model", "stream", "status", "error_type", "error_code",
      "prompt_tokens", "completion_tokens", "cached_tokens", "reasoning_tokens", "tokens_estimated", "cost_usd",
      "latency_ms", "ttfb_ms", "client_key", "cache_hit", "saved_usd", "api", "queue_ms", "masked", "redacted",
      "compaction_saved_tokens", "guard_flagged", "guard_blocked");

  public RequestRecord withSteps(RequestSteps recorded) {
    return new RequestRecord(id, parentId, attempt, kind, timestampMs, sessionId, client, modelAlias, provider,
        upstreamModel, stream, status, errorType, errorCode, errorMessage, usage, tokensEstimated, costUsd, latencyMs,
        ttfbMs, maxContext, clientKey, cacheHit, savedUsd, api, recorded);
  }

  /**
   * Whether a provider answered this row and so billed it: what budgets count. A refusal (by a
   * budget, a limit or the provider itself) keeps its prompt estimate for display, but cost nothing.
   * {@link LedgerStore#spentSince} applies the same rule to stored rows.
   */
  public boolean billed() {
    return !cacheHit && provider != null && status < 400;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("id", id).put("parent_id", parentId).put("attempt", attempt).put("kind", kind)
        .put("ts", timestampMs).put("session", sessionId).put("client", client).put("model", modelAlias)
        .put("provider", provider).put("upstream_model", upstreamModel).put("stream", stream)
        .put("status", status).put("error_type", errorType).put("error_code", errorCode)
        .put("prompt_tokens", usage.promptTokens()).put("completion_tokens", usage.completionTokens())
        .put("cached_tokens", usage.cachedTokens()).put("reasoning_tokens", usage.reasoningTokens())
        .put("tokens_estimated", tokensEstimated).put("cost_usd", costUsd)
        .put("latency_ms", latencyMs).put("ttfb_ms", ttfbMs)
        .put("client_key", clientKey).put("cache_hit", cacheHit).put("saved_usd", savedUsd).put("api", api);
    if (steps != null) steps.putInto(json);
    else RequestSteps.putNulls(json);
    return json;
  }

  public boolean failed() {
    return status >= 400;
  }
}
