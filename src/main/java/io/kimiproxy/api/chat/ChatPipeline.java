package io.kimiproxy.api.chat;

import io.kimiproxy.core.http.ErrorReplies;
import io.kimiproxy.api.security.RequestGuard;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.events.EventSink;
import io.kimiproxy.features.guardrails.ToolCallInspector;
import io.kimiproxy.features.guardrails.ToolCallContext;
import io.kimiproxy.features.guardrails.ToolCallInspection;
import io.kimiproxy.features.guardrails.ToolCallInspector;
import io.kimiproxy.core.ledger.LedgerWriter;
import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.core.model.ClientKind;
import io.kimiproxy.core.model.Usage;
import io.kimiproxy.core.tokens.TokenCounter;
import io.kimiproxy.core.util.InternalCalls;
import io.kimiproxy.core.util.SecretScrubber;
import io.kimiproxy.features.session.SessionIdentifier;
import io.kimiproxy.proxy.adapters.WireAdapters;
import io.kimiproxy.proxy.resilience.ProviderHealthRegistry;
import io.kimiproxy.proxy.routing.ModelResolver;
import io.kimiproxy.proxy.upstream.UpstreamClient;
import io.kimiproxy.features.clients.ClientMonitor;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * The one path of a chat request, readable top to bottom in {@link #handle}:
 * parse, smart routing (see {@link SmartStep}), the context steps (see {@link ContextSteps}), route, relay (with retries and fallbacks, see
 * {@link AttemptRunner}), record. Every step is a future; any failure skips to the error reply, and
 * every request, answered or not, is recorded.
 */
public final class ChatPipeline {
  private final ModelResolver resolver;
  private final UsageRecorder recorder;
  private final CacheStep cache;
  private final AttemptRunner attempts;
  private final SecretScrubber scrubber;
  private final ContextSteps context;
  private final ClientMonitor clients;
  private final SmartStep smart;

  public ChatPipeline(ChatServices s) {
    SpendingGate spending = new SpendingGate(s.limiter(), s.quotas());
    this.resolver = s.resolver();
    this.recorder = new UsageRecorder(s.ledger(), s.events(), s.scrubber(), s.clients(), spending);
    this.cache = new CacheStep(s.cache());
    this.attempts = new AttemptRunner(new UpstreamAttempt(s.adapters(), s.upstream(), s.tokens(), s.scrubber(),
        s.toolCalls(), spending), spending, s.health(), recorder, s.events());
    this.scrubber = s.scrubber();
    this.context = s.context();
    this.clients = s.clients();
    this.smart = s.smart();
  }

  public void handle(RoutingContext ctx) {
    HttpServerRequest http = ctx.request();
    String client = ClientKind.detect(http.getHeader("User-Agent"), http.getHeader("X-Title"),
        http.getHeader("HTTP-Referer")).label();
    ChatExchange x = new ChatExchange(ctx, client);
    x.clientKey = ctx.get(RequestGuard.CLIENT_KEY);
    x.visit = clients.arrived(client, x.clientKey);
    ctx.response().putHeader("X-Request-Id", x.id);
    Future.succeededFuture(x)
        .compose(this::parse)
        .compose(context::measure)
        .compose(smart::choose)
        .compose(context::sanitize)
        .compose(context::compact)
        .compose(context::fit)
        .compose(context::map)
        .compose(this::route)
        .compose(cache::lookup)
        .compose(this::answer)
        .recover(failure -> reject(x, failure))
        .onComplete(done -> recorder.record(x));
  }

  private Future<ChatExchange> parse(ChatExchange x) {
    x.request = ChatRequest.parse(x.ctx.body().buffer());
    x.clientMessages = x.request.messages();
    String internalKind = x.ctx.get(InternalCalls.KIND_KEY);
    if (internalKind != null) x.kind = internalKind;
    x.sessionId = SessionIdentifier.identify(x.ctx.request().getHeader(SessionIdentifier.HEADER), x.client, x.request);
    x.ctx.response().putHeader("X-Kimi-Proxy-Session", x.sessionId);
    clients.working(x.visit, x.request);
    return Future.succeededFuture(x);
  }

  /** The model the context steps settled on, then its fallbacks; the first must have a key. */
  private Future<ChatExchange> route(ChatExchange x) {
    x.routes = resolver.routes(x.request.model(), x.promptCount.total());
    x.route = x.routes.get(0);
    if (!x.route.provider().configured()) {
      throw ProxyError.of(401, "authentication_error", "provider_not_configured", x.route.provider().missingKeyMessage());
    }
    return Future.succeededFuture(x);
  }

  /** From the cache when it holds the answer; else from the providers, keeping a good answer for next time. */
  private Future<Void> answer(ChatExchange x) {
    return x.cached != null ? cache.replay(x) : attempts.run(x).onSuccess(answered -> cache.store(x));
  }

  private Future<Void> reject(ChatExchange x, Throwable failure) {
    ProxyError error = scrubbed(ErrorReplies.asProxyError(failure));
    x.failed(error);
    if (x.usage == null && x.promptCount != null) {
      x.usage = new Usage(x.promptCount.total(), 0, 0, 0);
      x.usageEstimated = true;
    }
    if (!x.ctx.response().closed()) ErrorReplies.send(x.ctx.response(), error);
    return Future.succeededFuture();
  }

  /** Providers sometimes echo the key they were given; it must not travel any further. */
  private ProxyError scrubbed(ProxyError error) {
    String message = error.getMessage();
    String clean = scrubber.scrub(message);
    return clean.equals(message) ? error : error.withMessage(clean);
  }
}
