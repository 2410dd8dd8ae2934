package io.kimiproxy.api.routes;

import io.kimiproxy.core.http.JsonReply;
import io.kimiproxy.config.ProviderConfig;
import io.kimiproxy.config.ProxyConfig;
import io.kimiproxy.core.db.Maintenance;
import io.kimiproxy.features.cache.ResponseCache;
import io.kimiproxy.proxy.adapters.WireAdapters;
import io.kimiproxy.proxy.upstream.UpstreamClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /api/diagnostics}: what to look at when something is wrong — each provider reached
 * with a cheap call (connect and first-byte latency), the database (write and read latency, size,
 * WAL), free disk, and the cache store.
 */
public final class DiagnosticsRoutes {
  private final Vertx vertx;
  private final Supplier<ProxyConfig> config;
  private final UpstreamClient upstream;
  private final WireAdapters adapters;
  private final Maintenance maintenance;
  private final ResponseCache cache;

  public DiagnosticsRoutes(Vertx vertx, Supplier<ProxyConfig> config, UpstreamClient upstream, WireAdapters adapters,
                           Maintenance maintenance, ResponseCache cache) {
    this.vertx = vertx;
    this.config = config;
    this.upstream = upstream;
    this.adapters = adapters;
    this.maintenance = maintenance;
    this.cache = cache;
  }

  public void mount(Router router) {
    router.get("/api/diagnostics").handler(ctx -> JsonReply.reply(ctx, c -> diagnose()));
  }

  private Future<JsonObject> diagnose() {
    ProxyConfig current = config.get();
    List<Future<JsonObject>> probes = new ArrayList<>();
    for (ProviderConfig provider : current.providers().values()) {
      if (!provider.configured()) {
        probes.add(Future.succeededFuture(new JsonObject().put("provider", provider.name()).put("reachable", (Boolean) null)
            .put("error", "not configured: " + provider.missingKeyMessage())));
      } else {
        probes.add(upstream.probe(provider, adapters.forType(provider.type()).modelsList(provider)).map(r -> r.toJson()));
      }
    }
    String folder = current.databaseFile().toAbsolutePath().getParent().toString();
    return Future.join(probes).transform(ignored -> {
      JsonArray providers = new JsonArray();
      probes.forEach(p -> providers.add(p.succeeded() ? p.result() : new JsonObject().put("error", p.cause().getMessage())));
      return maintenance.probe().compose(database -> vertx.fileSystem().fsProps(folder)
          .compose(disk -> cache.stats().map(cacheStats -> new JsonObject()
              .put("providers", providers)
              .put("database", database)
              .put("disk", new JsonObject().put("path", folder).put("usable_bytes", disk.usableSpace())
                  .put("total_bytes", disk.totalSpace()))
              .put("cache", cacheStats))));
    });
  }
}
