package io.kimiproxy.api.chat;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.events.EventNames;
import io.kimiproxy.core.events.EventSink;
import io.kimiproxy.core.ledger.LedgerWriter;
import io.kimiproxy.core.ledger.RequestRecord;
import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.core.model.Usage;
import io.kimiproxy.core.util.SecretScrubber;
import io.kimiproxy.proxy.chain.ChatExchange;
import io.kimiproxy.proxy.routing.Route;
import io.vertx.core.json.JsonObject;

/**
 * Turns a finished exchange into its ledger row, its live events and its client's counts; and each
 * of its earlier failed attempts into a row of its own.
 */
final class UsageRecorder {
  private static final int MAX_ERROR_MESSAGE = 300;

  private final LedgerWriter ledger;
  private final EventSink events;
  private final SecretScrubber scrubber;

  UsageRecorder(LedgerWriter ledger, EventSink events, SecretScrubber scrubber) {
    this.ledger = ledger;
    this.events = events;
    this.scrubber = scrubber;
  }

  /** The request's own row (the one the client saw), recorded last, with its live events. */
  RequestRecord record(ChatExchange x) {
    Usage usage = x.usage() == null ? Usage.ZERO : x.usage();
    // A cache hit called no provider: it costs nothing, and saves what the answer cost the first time.
    // No provider answer, no bill: a refusal keeps its prompt estimate for display but costs nothing.
    boolean unanswered = x.status() >= 400 && x.ttfbMs() == null;
    double cost = x.route() == null || x.cacheHit() || unanswered ? 0.0
        : x.route().model().cost(usage.promptTokens(), usage.cachedTokens(), usage.completionTokens());
    RequestRecord row = row(x, x.id(), null, Math.max(1, x.attempt()), x.startMs(), x.status(), x.error(), usage,
        x.usageEstimated(), cost, x.elapsedMs(), x.ttfbMs()).withSteps(x.steps().snapshot());
    ledger.record(row);
    events.publish(EventNames.REQUEST, row.toJson());
    if (row.sessionId() != null) events.publish(EventNames.SESSION_UPDATED, sessionUpdate(row));
    if (x.streamBroken()) events.publish(EventNames.STREAMING_ERROR, streamingError(row));
    return row;
  }

  /**
   * An attempt that failed and was followed by another (a retry or a fallback): its own row, linked
   * to the request by parent id. Nothing reached the client from it, so it carries no usage or cost.
   */
  void recordAttempt(ChatExchange x, ProxyError error) {
    ledger.record(row(x, x.id() + "." + x.attempt(), x.id(), x.attempt(), x.attemptStartMs(), error.status(), error,
        Usage.ZERO, false, 0.0, x.attemptElapsedMs(), null));
  }

  private RequestRecord row(ChatExchange x, String id, String parentId, int attempt, long startMs, int status,
                            ProxyError error, Usage usage, boolean estimated, double cost, long latencyMs, Long ttfbMs) {
    String message = error == null ? null : scrubber.scrub(cut(error.getMessage()));
    Route route = x.route();
    ChatRequest request = x.request();
    return new RequestRecord(id, parentId, attempt, x.caller().kind(), startMs, x.sessionId(), x.caller().client(),
        route != null ? route.alias() : request != null ? request.model() : "",
        route != null ? route.provider().name() : null,
        route != null ? route.upstreamModel() : null,
        request != null && request.stream(), status,
        error == null ? null : error.type(), error == null ? null : error.code(), message,
        usage, estimated, cost, latencyMs, ttfbMs,
        route != null ? route.model().maxContext() : x.window().maxContext(), x.caller().clientKey(),
        x.cacheHit() && parentId == null, parentId == null ? x.savedUsd() : 0.0, x.format().api().label(), null);
  }

  /**
   * The session as this request leaves it. The context fields are null when the request measured
   * no prompt (it failed before): the session's fill is then unchanged, as in the ledger.
   * {@code phase} is the context engine's to set; null until it does.
   */
  private static JsonObject sessionUpdate(RequestRecord r) {
    JsonObject session = new JsonObject()
        .put("id", r.sessionId())
        .put("client", r.client())
        .put("model", r.modelAlias())
        .put("provider", r.provider())
        .put("last_seen", r.timestampMs())
        .putNull("phase");
    long prompt = r.usage().promptTokens();
    if (prompt > 0) {
      session.put("context_fill", r.maxContext() > 0 ? (double) prompt / r.maxContext() : 0.0)
          .put("last_prompt_tokens", prompt)
          .put("max_context", r.maxContext());
    } else {
      session.putNull("context_fill").putNull("last_prompt_tokens").putNull("max_context");
    }
    return session;
  }

  /** A stream that had begun (the client got its 200) and ended with an error event instead of a finish. */
  private static JsonObject streamingError(RequestRecord r) {
    return new JsonObject()
        .put("id", r.id())
        .put("session", r.sessionId())
        .put("model", r.modelAlias())
        .put("provider", r.provider())
        .put("status", r.status())
        .put("error_type", r.errorType())
        .put("error_code", r.errorCode())
        .put("message", r.errorMessage())
        .put("ttfb_ms", r.ttfbMs())
        .put("latency_ms", r.latencyMs());
  }

  private static String cut(String text) {
    return text == null || text.length() <= MAX_ERROR_MESSAGE ? text : text.substring(0, MAX_ERROR_MESSAGE);
  }
}
