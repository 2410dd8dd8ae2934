package io.kimiproxy.api.chat;

import io.kimiproxy.api.http.ErrorReplies;
import io.kimiproxy.api.security.RequestGuard;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.events.EventSink;
import io.kimiproxy.core.ledger.LedgerWriter;
import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.core.model.ClientKind;
import io.kimiproxy.core.model.Usage;
import io.kimiproxy.core.tokens.TokenCounter;
import io.kimiproxy.core.util.InternalCalls;
import io.kimiproxy.core.util.SecretScrubber;
import io.kimiproxy.features.session.SessionIdentifier;
import io.kimiproxy.proxy.routing.ModelResolver;
import io.kimiproxy.proxy.stream.RelayOutcome;
import io.kimiproxy.proxy.stream.StreamRelay;
import io.kimiproxy.proxy.upstream.UpstreamClient;
import io.kimiproxy.proxy.upstream.UpstreamExchange;
import io.kimiproxy.proxy.wire.NonStreamReply;
import io.kimiproxy.proxy.wire.WireAdapter;
import io.kimiproxy.proxy.adapters.WireAdapters;
import io.kimiproxy.services.clients.ClientMonitor;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * The one path of a chat request, readable top to bottom in {@link #handle}:
 * parse, measure, the context steps (see {@link ContextSteps}), route, transform, relay, record. Every step is a future; any failure skips to
 * the error reply, and every request, answered or not, is recorded.
 */
public final class ChatPipeline {
  private final ModelResolver resolver;
  private final WireAdapters adapters;
  private final UpstreamClient upstream;
  private final TokenCounter tokens;
  private final UsageRecorder recorder;
  private final SecretScrubber scrubber;
  private final ContextSteps context;
  private final ClientMonitor clients;

  public ChatPipeline(ModelResolver resolver, WireAdapters adapters, UpstreamClient upstream,
                      TokenCounter tokens, LedgerWriter ledger, EventSink events, SecretScrubber scrubber,
                      ContextSteps context, ClientMonitor clients) {
    this.resolver = resolver;
    this.adapters = adapters;
    this.upstream = upstream;
    this.tokens = tokens;
    this.recorder = new UsageRecorder(ledger, events, scrubber, clients);
    this.scrubber = scrubber;
    this.context = context;
    this.clients = clients;
  }

  public void handle(RoutingContext ctx) {
    HttpServerRequest http = ctx.request();
    String client = ClientKind.detect(http.getHeader("User-Agent"), http.getHeader("X-Title"),
        http.getHeader("HTTP-Referer")).label();
    ChatExchange x = new ChatExchange(ctx, client);
    x.visit = clients.arrived(client, ctx.get(RequestGuard.CLIENT_KEY));
    ctx.response().putHeader("X-Request-Id", x.id);
    Future.succeededFuture(x)
        .compose(this::parse)
        .compose(context::measure)
        .compose(context::sanitize)
        .compose(context::compact)
        .compose(context::fit)
        .compose(context::map)
        .compose(this::route)
        .compose(this::relay)
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

  private Future<ChatExchange> route(ChatExchange x) {
    x.route = resolver.resolve(x.request.model());
    if (!x.route.provider().configured()) {
      throw ProxyError.of(401, "authentication_error", "provider_not_configured", x.route.provider().missingKeyMessage());
    }
    return Future.succeededFuture(x);
  }

  private Future<Void> relay(ChatExchange x) {
    WireAdapter adapter = adapters.forType(x.route.provider().type());
    HttpServerResponse response = x.ctx.response();
    return upstream.send(x.route.provider(), adapter.toUpstream(x.request, x.route))
        .compose(exchange -> {
          response.closeHandler(v -> exchange.cancel());
          if (exchange.status() / 100 != 2) {
            return exchange.body().compose(body -> Future.failedFuture(
                adapter.toError(exchange.status(), body, exchange.header("Retry-After"), x.route)));
          }
          return x.request.stream() ? relayStream(x, adapter, exchange) : relayWhole(x, adapter, exchange);
        });
  }

  private Future<Void> relayWhole(ChatExchange x, WireAdapter adapter, UpstreamExchange exchange) {
    x.ttfbMs = x.elapsedMs();
    return exchange.body().map(body -> {
      NonStreamReply reply = adapter.fromUpstream(body, x.route);
      settleUsage(x, reply.usage(), () -> completionText(reply.json()));
      x.ctx.response().setStatusCode(exchange.status()).putHeader("Content-Type", "application/json").end(reply.body());
      return null;
    });
  }

  private Future<Void> relayStream(ChatExchange x, WireAdapter adapter, UpstreamExchange exchange) {
    return StreamRelay.relay(x.ctx.response(), exchange, adapter.newStreamDecoder(x.request, x.route),
            x.request.includeUsage(), x.startNanos, scrubber)
        .map(outcome -> {
          x.ttfbMs = outcome.ttfbMs();
          settleUsage(x, outcome.usage(), outcome::completionText);
          settleEnding(x, outcome);
          return null;
        });
  }

  /** The provider's usage when it sent one; else the prompt estimate and a count of what arrived. */
  private void settleUsage(ChatExchange x, JsonObject reported, Supplier<String> completion) {
    if (reported != null) {
      x.usage = Usage.fromOpenAi(reported);
      x.usageEstimated = false;
    } else {
      long completionTokens = tokens.countText(x.route.upstreamModel(), completion.get());
      x.usage = new Usage(x.promptCount.total(), completionTokens, 0, 0);
      x.usageEstimated = true;
    }
  }

  private void settleEnding(ChatExchange x, RelayOutcome outcome) {
    if (outcome.clientClosed()) {
      x.status = 499;
      x.error = ProxyError.of(499, "client_closed", "client_closed", "The client closed the connection before the end of the stream.");
    } else if (outcome.error() != null) {
      x.failed(scrubbed(outcome.error()));
      x.streamBroken = true;
    }
  }

  private Future<Void> reject(ChatExchange x, Throwable failure) {
    ProxyError error = scrubbed(ErrorReplies.asProxyError(failure));
    x.failed(error);
    if (x.usage == null && x.promptCount != null) {
      x.usage = new Usage(x.promptCount.total(), 0, 0, 0);
      x.usageEstimated = true;
    }
    ErrorReplies.send(x.ctx.response(), error);
    return Future.succeededFuture();
  }

  /** Providers sometimes echo the key they were given; it must not travel any further. */
  private ProxyError scrubbed(ProxyError error) {
    String message = error.getMessage();
    String clean = scrubber.scrub(message);
    return clean.equals(message) ? error : error.withMessage(clean);
  }

  private static String completionText(JsonObject answer) {
    StringBuilder text = new StringBuilder();
    if (answer.getValue("choices") instanceof JsonArray choices) {
      for (Object c : choices) {
        if (c instanceof JsonObject choice && choice.getValue("message") instanceof JsonObject message) {
          if (message.getValue("content") instanceof String s) text.append(s);
          if (message.getValue("reasoning_content") instanceof String s) text.append(s);
          if (message.getValue("tool_calls") instanceof JsonArray calls) text.append(calls.encode());
        }
      }
    }
    return text.toString();
  }
}
