package io.kimiproxy.features.traces;

import io.kimiproxy.config.TelemetryConfig;
import io.kimiproxy.core.ledger.LedgerWriter;
import io.kimiproxy.core.ledger.RequestRecord;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * OpenTelemetry traces built from the ledger's rows as they are recorded: one span per request
 * (kind SERVER, from its arrival to its last byte) with a child per attempt (kind CLIENT), carrying
 * the GenAI semantic conventions' attributes. The spans are exported in batches over OTLP/HTTP by
 * the OpenTelemetry SDK on its own thread; its queue is bounded, so a collector that is down costs
 * spans, never memory or the request path.
 *
 * <p>A request's earlier attempts are recorded before its own row (which is its last attempt), so
 * they wait here until it comes. The ledger keeps no start of the last attempt: its span starts
 * where the previous attempt ended (the request's arrival for the first).
 *
 * <p>Rows are turned into spans one at a time (a few microseconds each), so that closing waits for
 * the one being built and every span ended before it is sent.
 */
public final class RequestTraces implements AutoCloseable {
  static final String INSTRUMENTATION = "io.kimiproxy";
  private static final int WAITING_REQUESTS = 10_000;
  /** How long ended spans wait to be sent together. */
  private static final long BATCH_DELAY_MS = 1000;
  private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
  private static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
  // The name before gen_ai.provider.name, still the one many backends read.
  private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("gen_ai.system");
  private static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  private static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
  private static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  private static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
  private static final AttributeKey<String> CONVERSATION = AttributeKey.stringKey("gen_ai.conversation.id");
  private static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private final SdkTracerProvider provider;
  private final Tracer tracer;
  private boolean closed; // guarded by earlierAttempts
  private final Map<String, List<RequestRecord>> earlierAttempts = new LinkedHashMap<>(64, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, List<RequestRecord>> eldest) {
      return size() > WAITING_REQUESTS;
    }
  };

  private RequestTraces(SdkTracerProvider provider) {
    this.provider = provider;
    this.tracer = provider.get(INSTRUMENTATION);
  }

  /** Traces sent to {@code config}'s endpoint; nothing is sent before the first request. */
  public static RequestTraces start(TelemetryConfig config) {
    OtlpHttpSpanExporterBuilder exporter = OtlpHttpSpanExporter.builder().setEndpoint(config.endpoint().toString());
    config.headers().forEach((name, value) -> exporter.addHeader(name, value.reveal()));
    Resource resource = Resource.getDefault().merge(Resource.create(
        Attributes.of(AttributeKey.stringKey("service.name"), config.serviceName())));
    SdkTracerProvider provider = SdkTracerProvider.builder().setResource(resource)
        .addSpanProcessor(BatchSpanProcessor.builder(exporter.build())
            .setScheduleDelay(BATCH_DELAY_MS, TimeUnit.MILLISECONDS).build()).build();
    return new RequestTraces(provider);
  }

  public void watch(LedgerWriter ledger) {
    ledger.observe(this::record);
  }

  void record(RequestRecord row) {
    synchronized (earlierAttempts) {
      if (closed) return;
      if (row.parentId() != null) {
        earlierAttempts.computeIfAbsent(row.parentId(), id -> new ArrayList<>()).add(row);
        return;
      }
      List<RequestRecord> earlier = earlierAttempts.remove(row.id());
      requestSpan(row, earlier == null ? List.of() : earlier);
    }
  }

  private void requestSpan(RequestRecord row, List<RequestRecord> earlier) {
    Span request = tracer.spanBuilder(spanName(row)).setNoParent().setSpanKind(SpanKind.SERVER)
        .setStartTimestamp(row.timestampMs(), TimeUnit.MILLISECONDS).startSpan();
    common(request, row);
    request.setAttribute(CONVERSATION, row.sessionId())
        .setAttribute("kimi.request.id", row.id())
        .setAttribute("kimi.kind", row.kind())
        .setAttribute("kimi.api", row.api())
        .setAttribute("kimi.client", row.client())
        .setAttribute("kimi.attempts", (long) row.attempt())
        .setAttribute("kimi.cache_hit", row.cacheHit())
        .setAttribute("kimi.tokens_estimated", row.tokensEstimated())
        .setAttribute("kimi.cost_usd", row.costUsd());
    usage(request, row);
    Context parent = Context.root().with(request);
    long lastEnd = row.timestampMs();
    for (RequestRecord attempt : earlier) {
      Span span = attemptSpan(parent, attempt, attempt.timestampMs(), attempt.timestampMs() + attempt.latencyMs());
      span.end(attempt.timestampMs() + attempt.latencyMs(), TimeUnit.MILLISECONDS);
      lastEnd = Math.max(lastEnd, attempt.timestampMs() + attempt.latencyMs());
    }
    long end = row.timestampMs() + row.latencyMs();
    // A request that reached a provider made a last attempt of its own; a refusal or a cache hit made none.
    if (row.provider() != null && !row.cacheHit()) {
      Span last = attemptSpan(parent, row, Math.min(lastEnd, end), end);
      usage(last, row);
      last.end(end, TimeUnit.MILLISECONDS);
    }
    request.end(end, TimeUnit.MILLISECONDS);
  }

  private Span attemptSpan(Context parent, RequestRecord attempt, long startMs, long endMs) {
    Span span = tracer.spanBuilder(spanName(attempt)).setParent(parent).setSpanKind(SpanKind.CLIENT)
        .setStartTimestamp(Math.min(startMs, endMs), TimeUnit.MILLISECONDS).startSpan();
    common(span, attempt);
    return span.setAttribute("kimi.attempt", (long) attempt.attempt());
  }

  private static void common(Span span, RequestRecord row) {
    span.setAttribute(OPERATION, "chat")
        .setAttribute(REQUEST_MODEL, row.modelAlias())
        .setAttribute(HTTP_STATUS, (long) row.status());
    if (row.provider() != null) span.setAttribute(PROVIDER, row.provider()).setAttribute(SYSTEM, row.provider());
    if (row.upstreamModel() != null) span.setAttribute(RESPONSE_MODEL, row.upstreamModel());
    if (row.failed()) {
      span.setAttribute(ERROR_TYPE, row.errorType() != null ? row.errorType() : Long.toString(row.status()));
      span.setStatus(StatusCode.ERROR, row.errorCode() != null ? row.errorCode() : "HTTP " + row.status());
    }
  }

  private static void usage(Span span, RequestRecord row) {
    span.setAttribute(INPUT_TOKENS, row.usage().promptTokens()).setAttribute(OUTPUT_TOKENS, row.usage().completionTokens());
  }

  private static String spanName(RequestRecord row) {
    return "chat " + row.modelAlias();
  }

  /** Sends what is queued (up to a few seconds) and stops. */
  @Override
  public void close() {
    synchronized (earlierAttempts) {
      closed = true;
    }
    provider.shutdown().join(10, TimeUnit.SECONDS);
  }
}
