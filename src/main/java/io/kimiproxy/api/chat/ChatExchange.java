package io.kimiproxy.api.chat;

import io.kimiproxy.core.model.Phase;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.ledger.RequestSteps;
import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.core.model.PromptCount;
import io.kimiproxy.core.model.Usage;
import io.kimiproxy.features.cache.CachedAnswer;
import io.kimiproxy.proxy.stream.ChunkRecorder;
import io.kimiproxy.features.compaction.Compactor;
import io.kimiproxy.proxy.routing.Route;
import io.kimiproxy.features.clients.ClientMonitor;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.UUID;

/** What the pipeline learns about one chat request as it goes; read once at the end to record it. */
final class ChatExchange {
  final String id = UUID.randomUUID().toString();
  final long startNanos = System.nanoTime();
  final long startMs = System.currentTimeMillis();
  final RoutingContext ctx;
  final String client;
  /** "chat" for clients; another ledger kind ("summary", "agent") for the proxy's own internal calls. */
  String kind = "chat";
  ChatRequest request;
  String sessionId;
  /** The model's window (0 when unknown) and the part of it kept for the answer. */
  long maxContext;
  long reservedOutput;
  Phase phase = Phase.EXPANSION;
  /** The messages as the client sent them: compactions are keyed by these. */
  JsonArray clientMessages;
  /** The compaction in the request as sent (record null when none), and the prompt before it. */
  Compactor.Applied compaction;
  long tokensBeforeCompaction;
  /** The model's route, then its fallbacks' (see {@link AttemptRunner}). */
  List<Route> routes;
  /** The route of the current (at the end: the last) attempt. */
  Route route;
  PromptCount promptCount;
  Usage usage;
  boolean usageEstimated;
  Long ttfbMs;
  int status = 200;
  ProxyError error;
  /** The stream had begun when it failed: the client got a 200 and then an error event. */
  boolean streamBroken;
  ClientMonitor.Visit visit;
  /** Which of server.api_keys the client used ("key-2"), or null. */
  String clientKey;
  /** The response cache: the request's key when it may use the cache, and what the cache held. */
  String cacheKey;
  CachedAnswer cached;
  boolean cacheHit;
  double savedUsd;
  /** What the client was sent, kept for the cache: the whole answer's body, or a stream's chunks. */
  String answerBody;
  ChunkRecorder recorder;
  /** Queue time and what the steps changed, for the request's ledger row. */
  final RequestSteps.Tally steps = new RequestSteps.Tally();
  /** Attempts made so far, 1 for the first. */
  int attempt;
  long attemptStartNanos;
  long attemptStartMs;

  ChatExchange(RoutingContext ctx, String client) {
    this.ctx = ctx;
    this.client = client;
  }

  /** Sends other messages upstream (after a transform). */
  ChatExchange withMessages(JsonArray messages) {
    request = request.withMessages(messages);
    return this;
  }

  /** A call the proxy made to itself: context features leave it alone. */
  boolean internal() {
    return !kind.equals("chat");
  }

  long elapsedMs() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  void startAttempt(Route attemptRoute) {
    route = attemptRoute;
    attempt++;
    attemptStartNanos = System.nanoTime();
    attemptStartMs = System.currentTimeMillis();
  }

  long attemptElapsedMs() {
    return (System.nanoTime() - attemptStartNanos) / 1_000_000;
  }

  /** Bytes of the answer reached the client: from here on, nothing can be tried again. */
  boolean committed() {
    return ctx.response().headWritten();
  }

  void failed(ProxyError failure) {
    error = failure;
    status = failure.status();
  }
}
