package io.kimiproxy.api.chat;

import io.kimiproxy.core.context.Phase;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.core.model.PromptCount;
import io.kimiproxy.core.model.Usage;
import io.kimiproxy.features.compaction.Compactor;
import io.kimiproxy.proxy.routing.Route;
import io.kimiproxy.services.clients.ClientMonitor;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.RoutingContext;
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

  void failed(ProxyError failure) {
    error = failure;
    status = failure.status();
  }
}
