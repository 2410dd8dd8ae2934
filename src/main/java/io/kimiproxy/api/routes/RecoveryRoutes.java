package io.kimiproxy.api.routes;

import io.kimiproxy.core.http.JsonReply;
import io.kimiproxy.core.db.Maintenance;
import io.kimiproxy.features.cache.ResponseCache;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.function.Supplier;

/** {@code POST /api/recovery/*}: the actions that put a misbehaving proxy right without a restart. */
public final class RecoveryRoutes {
  private final Supplier<Future<JsonObject>> resetBreakers;
  private final ResponseCache cache;
  private final Maintenance maintenance;
  private final Supplier<Future<JsonObject>> reloadConfig;
  private final Supplier<Future<JsonObject>> prune;

  public RecoveryRoutes(Supplier<Future<JsonObject>> resetBreakers, ResponseCache cache, Maintenance maintenance,
                        Supplier<Future<JsonObject>> reloadConfig, Supplier<Future<JsonObject>> prune) {
    this.resetBreakers = resetBreakers;
    this.cache = cache;
    this.maintenance = maintenance;
    this.reloadConfig = reloadConfig;
    this.prune = prune;
  }

  public void mount(Router router) {
    router.post("/api/recovery/reset-breakers").handler(ctx -> JsonReply.reply(ctx, c -> resetBreakers.get()));
    router.post("/api/recovery/clear-cache").handler(ctx -> JsonReply.reply(ctx, c ->
        cache.clear().map(v -> new JsonObject().put("cache_cleared", true))));
    router.post("/api/recovery/vacuum").handler(ctx -> JsonReply.reply(ctx, c -> {
      long start = System.nanoTime();
      return maintenance.vacuum().compose(v -> maintenance.sizes()).map(db -> new JsonObject()
          .put("vacuumed", true).put("duration_ms", (System.nanoTime() - start) / 1_000_000).put("database", db));
    }));
    // The hourly retention pass, now: after lowering retention_days, or to free space at once.
    router.post("/api/recovery/prune").handler(ctx -> JsonReply.reply(ctx, c -> prune.get()));
    router.post("/api/recovery/reload-config").handler(ctx -> JsonReply.reply(ctx, c -> reloadConfig.get()));
  }
}
