package io.kimiproxy.features.metrics;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.ledger.LedgerWriter;
import io.kimiproxy.core.ledger.RequestRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The proxy's Prometheus metrics. Request metrics come from the ledger rows themselves (this
 * observes the {@link LedgerWriter}), so a request, a retry attempt and a summary call are counted
 * exactly as they are recorded. Recording is a few counter increments on the recording thread;
 * rendering ({@link #scrape()}) is the only costly part and runs off the event loop.
 */
public final class ProxyMetrics implements AutoCloseable {
  /** Prometheus text exposition format 0.0.4, what {@link #scrape()} returns. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  // Bounds of the latency histograms: a cached answer can take a few ms, a long reasoning stream minutes.
  private static final Duration FASTEST = Duration.ofMillis(5);
  private static final Duration SLOWEST = Duration.ofMinutes(10);

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  /** Micrometer holds function counters' sources weakly: a lambda source must be kept alive here. */
  private final List<Object> sources = new CopyOnWriteArrayList<>();

  public ProxyMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** Counts every row the ledger records, and exposes its write queue. */
  public void watchLedger(LedgerWriter ledger) {
    ledger.observe(this::record);
    Gauge.builder("kimi.ledger.queue.depth", ledger, LedgerWriter::depth).strongReference(true)
        .description("Ledger rows waiting to be written").register(registry);
    FunctionCounter.builder("kimi.ledger.dropped.rows", ledger, LedgerWriter::dropped)
        .description("Ledger rows shed because the write queue was full").register(registry);
  }

  /** Exposes the dashboard's WebSocket clients and the events they missed because they were too slow. */
  public void watchLiveClients(IntSupplier clients, LongSupplier droppedEvents) {
    sources.add(droppedEvents);
    Gauge.builder("kimi.ws.clients", clients, IntSupplier::getAsInt).strongReference(true)
        .description("Connected dashboard WebSocket clients").register(registry);
    FunctionCounter.builder("kimi.ws.dropped.events", droppedEvents, LongSupplier::getAsLong)
        .description("Events dropped for WebSocket clients that did not keep up").register(registry);
  }

  /**
   * A provider's circuit breaker as a gauge: 0 closed, 1 half-open, 2 open (-1 for a state name
   * this does not know). {@code state} gives the breaker's state name, e.g. vertx-circuit-breaker's
   * {@code CircuitBreakerState.name()}.
   */
  public void registerBreaker(String provider, Supplier<String> state) {
    Gauge.builder("kimi.breaker.state", state, s -> breakerCode(s.get())).strongReference(true)
        .tag("provider", provider)
        .description("Circuit breaker state per provider: 0 closed, 1 half-open, 2 open").register(registry);
  }

  static double breakerCode(String state) {
    return switch (state == null ? "" : state.toLowerCase(Locale.ROOT).replace('-', '_')) {
      case "closed" -> 0;
      case "half_open" -> 1;
      case "open" -> 2;
      default -> -1;
    };
  }

  void record(RequestRecord row) {
    // A model the proxy could not resolve is whatever the client typed: not a label value.
    String provider = row.provider() == null ? "none" : row.provider();
    String model = row.provider() == null ? "unresolved" : row.modelAlias();
    if (row.parentId() == null) {
      Counter.builder("kimi.requests").description("Requests answered, by model, provider and HTTP status")
          .tags("model", model, "provider", provider, "status", Integer.toString(row.status()))
          .register(registry).increment();
      latency("kimi.request.latency", "Time from a request's arrival to its last byte", model, provider)
          .record(row.latencyMs(), TimeUnit.MILLISECONDS);
      if (row.ttfbMs() != null) {
        latency("kimi.time.to.first.byte", "Time from a request's arrival to the first byte of its answer", model, provider)
            .record(row.ttfbMs(), TimeUnit.MILLISECONDS);
      }
    }
    tokens(model, provider, "in", row.usage().promptTokens());
    tokens(model, provider, "out", row.usage().completionTokens());
    if (row.costUsd() > 0) {
      Counter.builder("kimi.cost.usd").description("Spend in USD at the configured prices")
          .tags("model", model, "provider", provider).register(registry).increment(row.costUsd());
    }
    if (upstreamFault(row)) {
      Counter.builder("kimi.upstream.errors").description("Provider failures: unreachable, timed out, 429 or 5xx")
          .tags("provider", provider, "status", Integer.toString(row.status())).register(registry).increment();
    }
  }

  /** The provider (or the way to it) failed, as opposed to a bad request or the proxy's own fault. */
  private static boolean upstreamFault(RequestRecord row) {
    return row.provider() != null && ProxyError.isRetriableStatus(row.status()) && !"internal_error".equals(row.errorCode());
  }

  private Timer latency(String name, String description, String model, String provider) {
    return Timer.builder(name).description(description).tags("model", model, "provider", provider)
        .publishPercentileHistogram().minimumExpectedValue(FASTEST).maximumExpectedValue(SLOWEST)
        .register(registry);
  }

  private void tokens(String model, String provider, String direction, long count) {
    if (count <= 0) return;
    Counter.builder("kimi.tokens").description("Tokens sent to (in) and received from (out) providers")
        .tags("model", model, "provider", provider, "direction", direction).register(registry).increment(count);
  }

  /** Everything in Prometheus' text format. CPU-bound (a few ms): call it off the event loop. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
