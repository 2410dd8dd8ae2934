package io.kimiproxy.api.chat;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.core.model.PromptCount;
import io.kimiproxy.core.model.Usage;
import io.kimiproxy.proxy.routing.Route;
import io.kimiproxy.services.clients.ClientMonitor;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** What the pipeline learns about one chat request as it goes; read once at the end to record it. */
final class ChatExchange {
  final String id = UUID.randomUUID().toString();
  final long startNanos = System.nanoTime();
  final long startMs = System.currentTimeMillis();
  final RoutingContext ctx;
  final String client;
  ChatRequest request;
  String sessionId;
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

  long elapsedMs() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  void failed(ProxyError failure) {
    error = failure;
    status = failure.status();
  }
}
