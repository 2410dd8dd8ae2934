package io.kimiproxy.core.ledger;

import io.vertx.core.json.JsonObject;

/** What answers served from the response cache saved one client: hits, tokens and dollars not spent. */
public record CacheSaving(String client, long hits, long tokens, double usd) {
  public JsonObject toJson() {
    return new JsonObject().put("hits", hits).put("tokens_saved", tokens).put("cost_saved_usd", usd);
  }
}
