package io.kimiproxy.api.wiring;

import io.kimiproxy.features.cache.CacheRoutes;
import io.kimiproxy.api.routes.DiagnosticsRoutes;
import io.kimiproxy.features.limits.GovernanceRoutes;
import io.kimiproxy.api.routes.RecoveryRoutes;
import io.kimiproxy.config.GovernanceConfig;
import io.kimiproxy.config.ScopeLimits;
import io.kimiproxy.core.db.Maintenance;
import io.kimiproxy.core.db.Dialect;
import io.kimiproxy.core.db.Storage;
import io.kimiproxy.features.cache.CacheBodies;
import io.kimiproxy.features.cache.FileCacheBodies;
import io.kimiproxy.features.cache.PgCacheBodies;
import io.kimiproxy.features.cache.SqlCacheIndex;
import io.kimiproxy.core.events.EventSink;
import io.kimiproxy.features.cache.ResponseCache;
import io.kimiproxy.proxy.adapters.WireAdapters;
import io.kimiproxy.features.alerts.AlertCenter;
import io.kimiproxy.core.shared.RedisLink;
import io.kimiproxy.features.limits.LocalQuotaTracker;
import io.kimiproxy.features.limits.LocalRateLimiter;
import io.kimiproxy.features.limits.RedisQuotaTracker;
import io.kimiproxy.features.limits.RedisRateLimiter;
import io.kimiproxy.features.limits.SharedFailurePolicy;
import io.kimiproxy.features.limits.SpendingStep;
import io.kimiproxy.config.ClientKey;
import io.kimiproxy.features.limits.RateLimiter;
import io.kimiproxy.features.limits.QuotaTracker;
import io.kimiproxy.features.retention.RetentionJob;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Keeping spending in bounds and the proxy healthy: limits, budgets, alerts, the cache, diagnostics, retention (issue 6). */
public final class GovernanceModule implements Module {
  private final Foundation foundation;
  private final AlertCenter alerts;
  private final RateLimiter limiter;
  private final QuotaTracker quotas;
  private final ResponseCache cache;
  private final Maintenance maintenance;
  private final RetentionJob retention;
  /** Stops this generation's listening to Redis' comings and goings. */
  private final Runnable unsubscribe;
  private Supplier<Future<JsonObject>> resetBreakers = () -> Future.succeededFuture(new JsonObject().put("reset", 0));
  private Supplier<Future<JsonObject>> reloadConfig;

  private GovernanceModule(Foundation foundation, AlertCenter alerts, RateLimiter limiter, QuotaTracker quotas,
                           ResponseCache cache, Maintenance maintenance, RetentionJob retention, Runnable unsubscribe) {
    this.unsubscribe = unsubscribe;
    this.foundation = foundation;
    this.alerts = alerts;
    this.limiter = limiter;
    this.quotas = quotas;
    this.cache = cache;
    this.maintenance = maintenance;
    this.retention = retention;
  }

  /** @param alerts shared by every generation, so a configuration reload keeps the alert history */
  public static GovernanceModule create(Foundation f, EventSink events, AlertCenter alerts) {
    GovernanceConfig g = f.config().governance();
    Map<String, ScopeLimits> scopes = new LinkedHashMap<>(g.rateLimits().scopes());
    if (g.rateLimits().perClientKey().any()) {
      // A named key's own rpm/tpm ([keys.NAME]) win over the common client_rpm/client_tpm.
      f.config().server().keyNames().forEach(name -> scopes.putIfAbsent("client:" + name, g.rateLimits().perClientKey()));
    }
    RedisLink redis = f.redis();
    RateLimiter limiter;
    QuotaTracker quotas;
    Runnable unsubscribe = () -> { };
    if (redis == null) {
      limiter = new LocalRateLimiter(f.vertx(), g.rateLimits().maxWaitMs(), scopes);
      quotas = new LocalQuotaTracker(g.budgets(), alerts, Clock.systemUTC());
    } else {
      SharedFailurePolicy onFailure = new SharedFailurePolicy(f.config().shared().failOpen());
      limiter = new RedisRateLimiter(redis, g.rateLimits().maxWaitMs(), scopes, onFailure);
      RedisQuotaTracker shared = new RedisQuotaTracker(redis, g.budgets(), alerts, Clock.systemUTC(), onFailure);
      // Redis back after an outage missed what was spent meanwhile: the ledger has it.
      unsubscribe = redis.onStateChange(up -> {
        if (up) shared.resync();
      });
      quotas = shared;
    }
    Storage storage = f.storage();
    // A team's instances share their cached answers through PostgreSQL; one proxy keeps them as files.
    CacheBodies bodies = storage.dialect() == Dialect.POSTGRES ? new PgCacheBodies(storage.pool())
        : new FileCacheBodies(f.vertx(), g.cache().dir());
    ResponseCache cache = new ResponseCache(g.cache(), new SqlCacheIndex(storage.pool(), storage.dialect()), bodies);
    Maintenance maintenance = storage.maintenance();
    RetentionJob retention = new RetentionJob(f.vertx(), maintenance, g.retention().retentionDays(),
        g.retention().vacuumEveryMs());
    return new GovernanceModule(f, alerts, limiter, quotas, cache, maintenance, retention, unsubscribe);
  }

  public RateLimiter limiter() {
    return limiter;
  }

  public QuotaTracker quotas() {
    return quotas;
  }

  /** The chain's step before every provider call: the keys' models, the budgets, the rate limits. */
  public SpendingStep spending() {
    Map<String, ClientKey> keys = new LinkedHashMap<>();
    foundation.config().server().keys().forEach(k -> keys.put(k.name(), k));
    return new SpendingStep(limiter, quotas, keys);
  }

  public ResponseCache cache() {
    return cache;
  }

  public AlertCenter alerts() {
    return alerts;
  }

  /** How breakers are reset, once the feature that owns them is built. */
  public void onResetBreakers(Supplier<Future<JsonObject>> action) {
    this.resetBreakers = action;
  }

  /** How the configuration is reloaded, supplied by the server that can swap it. */
  public void onReloadConfig(Supplier<Future<JsonObject>> action) {
    this.reloadConfig = action;
  }

  /** This period's spending comes from the ledger, so budgets survive a restart. */
  @Override
  public Future<Void> beforeListening() {
    retention.start();
    return quotas.load((scope, from) -> foundation.store().spentSince(scope, from));
  }

  @Override
  public void mount(Router router) {
    new GovernanceRoutes(limiter, foundation.config().governance().rateLimits().maxWaitMs(), quotas, alerts).mount(router);
    new CacheRoutes(cache, foundation.store()).mount(router);
    new DiagnosticsRoutes(foundation.vertx(), foundation::config, foundation.upstream(), new WireAdapters(), maintenance,
        cache).mount(router);
    new RecoveryRoutes(() -> resetBreakers.get(), cache, maintenance, () -> reloadConfig.get(),
        retention::prune).mount(router);
  }

  @Override
  public Future<Void> close() {
    retention.stop();
    unsubscribe.run();
    return Future.succeededFuture();
  }
}
