package io.kimiproxy.features.cache;

import io.kimiproxy.core.http.JsonReply;
import io.kimiproxy.core.http.QueryParams;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.ledger.LedgerStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** The response cache's manager: stats (savings per client from the ledger), entries, delete, clear, clean-up. */
public final class CacheRoutes {
  private final ResponseCache cache;
  private final LedgerStore ledger;

  public CacheRoutes(ResponseCache cache, LedgerStore ledger) {
    this.cache = cache;
    this.ledger = ledger;
  }

  public void mount(Router router) {
    router.get("/api/cache/stats").handler(ctx -> JsonReply.reply(ctx, this::stats));
    router.get("/api/cache/entries").handler(ctx -> JsonReply.reply(ctx, c -> {
      int limit = QueryParams.integer(c, "limit", 100, 1, 1000);
      return cache.entries(limit).map(list -> {
        JsonArray data = new JsonArray();
        list.forEach(e -> data.add(e.toJson()));
        return new JsonObject().put("object", "list").put("data", data);
      });
    }));
    router.delete("/api/cache/:key").handler(ctx -> JsonReply.reply(ctx, this::delete));
    router.post("/api/cache/clear").handler(ctx -> JsonReply.reply(ctx, c ->
        cache.clear().map(v -> new JsonObject().put("cleared", true))));
    router.post("/api/cache/auto-clean").handler(ctx -> JsonReply.reply(ctx, c -> cache.autoClean().map(r -> r.toJson())));
  }

  private Future<JsonObject> stats(RoutingContext ctx) {
    return cache.stats().compose(stats -> ledger.cacheSavings().map(byClient -> {
      long tokens = 0;
      double usd = 0;
      JsonObject clients = new JsonObject();
      for (var saving : byClient) {
        clients.put(saving.client(), saving.toJson());
        tokens += saving.tokens();
        usd += saving.usd();
      }
      return stats.put("tokens_saved", tokens).put("cost_saved_usd", usd).put("by_client", clients);
    }));
  }

  private Future<JsonObject> delete(RoutingContext ctx) {
    String key = ctx.pathParam("key");
    if (!ResponseCache.validKey(key)) {
      return Future.failedFuture(ProxyError.invalidRequest("A cache key is 64 hexadecimal characters.", "key"));
    }
    return cache.delete(key).compose(found -> found ? Future.succeededFuture(new JsonObject().put("deleted", key))
        : Future.failedFuture(ProxyError.notFound("cache_entry_not_found", "No cache entry '" + key + "'.")));
  }
}
