package io.kimiproxy.api.wiring;

import io.kimiproxy.config.TelemetryConfig;
import io.kimiproxy.features.logs.EventLog;
import io.kimiproxy.features.logs.RequestLog;
import io.kimiproxy.features.traces.RequestTraces;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/**
 * The proxy reporting on itself: a log line per request and retry (from the ledger's rows) and per
 * event worth one (from the live hub), and, when {@code [telemetry]} is on, a trace per request.
 * Neither touches the request path: both observe what is recorded and published anyway.
 */
public final class ObservabilityModule implements Module {
  private final Vertx vertx;
  private final RequestTraces traces;

  private ObservabilityModule(Vertx vertx, RequestTraces traces) {
    this.vertx = vertx;
    this.traces = traces;
  }

  public static ObservabilityModule create(Foundation f, LiveModule live) {
    new RequestLog().watch(f.ledger());
    live.hub().observe(new EventLog()::accept);
    TelemetryConfig telemetry = f.config().observability().telemetry();
    RequestTraces traces = telemetry.enabled() ? RequestTraces.start(telemetry) : null;
    if (traces != null) traces.watch(f.ledger());
    return new ObservabilityModule(f.vertx(), traces);
  }

  @Override
  public void mount(Router router) {
    // No routes: the log and the traces go out, nothing comes in.
  }

  /** The spans still queued are sent (the SDK waits up to a few seconds: on a worker, not the event loop). */
  @Override
  public Future<Void> close() {
    if (traces == null) return Future.succeededFuture();
    return vertx.executeBlocking(() -> {
      traces.close();
      return null;
    }, false);
  }
}
