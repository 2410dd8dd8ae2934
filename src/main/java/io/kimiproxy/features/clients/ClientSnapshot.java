package io.kimiproxy.features.clients;

import io.vertx.core.json.JsonObject;

/**
 * One client as the monitor sees it at one moment.
 *
 * @param client      the kind: continue, cline, openai-sdk or other
 * @param key         which of server.api_keys it uses ("key-1" is the first), or null without client keys
 *                    (and for the history from before this start, which the ledger holds per kind only)
 * @param active      a request in flight, or the last one more recent than the idle threshold
 * @param successRate completed over all finished requests; null before the first
 * @param lastSeenMs  the latest start or end of one of its requests; null when none
 * @param currentTask a short preview of its latest user message, secrets redacted; null when unknown
 */
public record ClientSnapshot(String client, String key, boolean active, long inFlight, long completed, long failed,
                             Double successRate, long promptTokens, long completionTokens, double costUsd,
                             Long lastSeenMs, String currentTask) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("client", client)
        .put("key", key)
        .put("status", active ? "active" : "idle")
        .put("in_flight", inFlight)
        .put("completed", completed)
        .put("failed", failed)
        .put("success_rate", successRate)
        .put("prompt_tokens", promptTokens)
        .put("completion_tokens", completionTokens)
        .put("cost_usd", costUsd)
        .put("last_seen", lastSeenMs)
        .put("current_task", currentTask);
  }
}
