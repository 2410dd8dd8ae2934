package io.kimiproxy.features.smartrouting;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One smart-routing decision as stored: identifiers and numbers, never the prompt.
 *
 * @param seq        the row's number (0 before it is stored)
 * @param candidates per candidate: alias, provider and either its score with the parts
 *                   (headroom, price, latency) or the reason it was skipped
 */
public record RoutingDecision(long seq, long timestampMs, String requestId, String sessionId, String alias,
                              String chosen, long promptTokens, JsonArray candidates) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", seq)
        .put("ts", timestampMs)
        .put("request_id", requestId)
        .put("session", sessionId)
        .put("alias", alias)
        .put("chosen", chosen)
        .put("prompt_tokens", promptTokens)
        .put("candidates", candidates.copy());
  }
}
