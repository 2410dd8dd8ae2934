package io.kimiproxy.api.wiring;

import io.kimiproxy.features.live.DashboardRoutes;
import io.kimiproxy.features.metrics.MetricsRoutes;
import io.kimiproxy.core.events.EventSink;
import io.kimiproxy.features.live.LiveHub;
import io.kimiproxy.features.live.LiveSnapshot;
import io.kimiproxy.features.metrics.ProxyMetrics;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;

/** The dashboard's side: the WebSocket event hub every feature publishes to, and the Prometheus metrics. */
public final class LiveModule implements Module {
  private final LiveHub hub;
  private final ProxyMetrics metrics;

  private LiveModule(LiveHub hub, ProxyMetrics metrics) {
    this.hub = hub;
    this.metrics = metrics;
  }

  /** @param metrics made by the caller off the event loop: the registry and JVM binders are slow to load */
  public static LiveModule create(Foundation f, ProxyMetrics metrics) {
    metrics.watchLedger(f.ledger());
    LiveHub hub = new LiveHub(f.vertx(), new LiveSnapshot(f.store(), f.ledger(), f.config()));
    metrics.watchLiveClients(hub::clientCount, hub::droppedEvents);
    return new LiveModule(hub, metrics);
  }

  public EventSink events() {
    return hub;
  }

  public LiveHub hub() {
    return hub;
  }

  public ProxyMetrics metrics() {
    return metrics;
  }

  @Override
  public void mount(Router router) {
    new MetricsRoutes(metrics).mount(router);
    new DashboardRoutes(hub).mount(router);
  }

  /** Browsers are told first; the metrics stay until the ledger's last rows are written. */
  @Override
  public Future<Void> close() {
    return hub.close();
  }
}
