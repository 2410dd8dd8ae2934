package io.kimiproxy.features.metrics;

import io.kimiproxy.core.http.ErrorReplies;
import io.vertx.ext.web.Router;

/** {@code GET /metrics} in Prometheus' text format. */
public final class MetricsRoutes {
  private final ProxyMetrics metrics;

  public MetricsRoutes(ProxyMetrics metrics) {
    this.metrics = metrics;
  }

  public void mount(Router router) {
    // Rendering every histogram takes milliseconds of CPU: not on the event loop.
    router.get("/metrics").handler(ctx -> ctx.vertx().executeBlocking(metrics::scrape, false)
        .onSuccess(text -> ctx.response().putHeader("Content-Type", ProxyMetrics.CONTENT_TYPE).end(text))
        .onFailure(e -> ErrorReplies.send(ctx.response(), ErrorReplies.asProxyError(e))));
  }
}
