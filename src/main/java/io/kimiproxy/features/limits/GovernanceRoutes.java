package io.kimiproxy.features.limits;

import io.kimiproxy.core.http.JsonReply;
import io.kimiproxy.core.http.QueryParams;
import io.kimiproxy.features.alerts.AlertCenter;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/** {@code GET /api/rate-limit}, {@code GET /api/quotas}, {@code GET /api/alerts}. */
public final class GovernanceRoutes {
  private final RateLimiter limiter;
  private final long maxWaitMs;
  private final QuotaTracker quotas;
  private final AlertCenter alerts;

  public GovernanceRoutes(RateLimiter limiter, long maxWaitMs, QuotaTracker quotas, AlertCenter alerts) {
    this.limiter = limiter;
    this.maxWaitMs = maxWaitMs;
    this.quotas = quotas;
    this.alerts = alerts;
  }

  public void mount(Router router) {
    router.get("/api/rate-limit").handler(ctx -> JsonReply.reply(ctx, c -> limiter.snapshot().map(buckets -> {
      JsonArray data = new JsonArray();
      buckets.forEach(bucket -> data.add(bucket.toJson()));
      return new JsonObject().put("max_wait_ms", maxWaitMs).put("data", data);
    })));
    router.get("/api/quotas").handler(ctx -> JsonReply.reply(ctx, c ->
        quotas.snapshot().map(budgets -> new JsonObject().put("data", new JsonArray(budgets)))));
    router.get("/api/alerts").handler(ctx -> JsonReply.reply(ctx, c -> {
      int limit = QueryParams.integer(c, "limit", 100, 1, 200);
      JsonArray data = new JsonArray();
      alerts.recent(limit).forEach(a -> data.add(a.toJson()));
      return Future.succeededFuture(new JsonObject().put("data", data));
    }));
  }
}
