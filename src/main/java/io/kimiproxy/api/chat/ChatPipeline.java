package io.kimiproxy.api.chat;

import io.kimiproxy.api.security.RequestGuard;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.events.EventSink;
import io.kimiproxy.core.http.ErrorReplies;
import io.kimiproxy.core.ledger.LedgerWriter;
import io.kimiproxy.core.ledger.RequestRecord;
import io.kimiproxy.core.model.ClientKind;
import io.kimiproxy.core.model.Usage;
import io.kimiproxy.core.tokens.TokenCounter;
import io.kimiproxy.core.util.InternalCalls;
import io.kimiproxy.core.util.SecretScrubber;
import io.kimiproxy.features.session.SessionIdentifier;
import io.kimiproxy.proxy.adapters.WireAdapters;
import io.kimiproxy.proxy.chain.ChatExchange;
import io.kimiproxy.proxy.chain.ChatStep;
import io.kimiproxy.proxy.inbound.InboundFormat;
import io.kimiproxy.proxy.resilience.ProviderHealthRegistry;
import io.kimiproxy.proxy.upstream.UpstreamClient;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one path of a chat request, whatever API it came through, readable top to bottom in
 * {@link #handle}: decode it into the neutral request, let every step prepare it (see
 * {@link ChatChain} for the list), answer it (from a step, or from the providers with retries and
 * fallbacks, see {@link AttemptRunner}), and record it. Any failure skips to the error reply in the
 * client's API; every request, answered or not, is recorded.
 */
public final class ChatPipeline {
  private static final Logger LOG = Logger.getLogger(ChatPipeline.class.getName());
  private final List<ChatStep> steps;
  private final AttemptRunner attempts;
  private final UsageRecorder recorder;
  private final SecretScrubber scrubber;

  /** What the pipeline itself works with, beside its steps. */
  public record Services(WireAdapters adapters, UpstreamClient upstream, ProviderHealthRegistry health,
                         TokenCounter tokens, LedgerWriter ledger, EventSink events, SecretScrubber scrubber) {}

  public ChatPipeline(ChatChain chain, Services s) {
    this.steps = chain.steps();
    this.recorder = new UsageRecorder(s.ledger(), s.events(), s.scrubber());
    this.attempts = new AttemptRunner(new UpstreamAttempt(s.adapters(), s.upstream(), s.tokens(), s.scrubber(), steps),
        steps, s.health(), recorder, s.events());
    this.scrubber = s.scrubber();
  }

  public void handle(RoutingContext ctx, InboundFormat format) {
    ChatExchange x = new ChatExchange(ctx, format, caller(ctx));
    ctx.response().putHeader("X-Request-Id", x.id());
    Future.succeededFuture(x)
        .compose(this::decode)
        .compose(v -> prepare(x, 0))
        .compose(v -> x.answerer() != null ? x.answerer().get() : attempts.run(x))
        .recover(failure -> reject(x, failure))
        .onComplete(done -> finish(x));
  }

  private static ChatExchange.Caller caller(RoutingContext ctx) {
    HttpServerRequest http = ctx.request();
    String client = ClientKind.detect(http.getHeader("User-Agent"), http.getHeader("X-Title"),
        http.getHeader("HTTP-Referer")).label();
    String internalKind = ctx.get(InternalCalls.KIND_KEY);
    return new ChatExchange.Caller(client, internalKind != null ? internalKind : "chat", ctx.get(RequestGuard.CLIENT_KEY));
  }

  /** The client's body in the neutral model, and the conversation it belongs to. */
  private Future<Void> decode(ChatExchange x) {
    x.request(x.format().decode(x.body(), x.headers()));
    x.sessionId(SessionIdentifier.identify(x.caller().client(), x.request(), x.header(SessionIdentifier.HEADER),
        x.request().sessionHint(), x.header("x-claude-code-session-id"), x.header("session_id"), x.header("session-id")));
    x.response().putHeader("X-Kimi-Proxy-Session", x.sessionId());
    return Future.succeededFuture();
  }

  /** Each step's preparation in turn; a step that answered the request ends the preparations. */
  private Future<Void> prepare(ChatExchange x, int index) {
    if (index == steps.size() || x.answerer() != null) return Future.succeededFuture();
    return steps.get(index).prepare(x).compose(v -> prepare(x, index + 1));
  }

  private Future<Void> reject(ChatExchange x, Throwable failure) {
    ProxyError error = scrubbed(ErrorReplies.asProxyError(failure));
    x.failed(error);
    if (x.usage() == null && x.promptCount() != null) x.usage(new Usage(x.promptCount().total(), 0, 0, 0), true);
    if (!x.response().closed()) {
      if (x.response().headWritten()) {
        if (!x.response().ended()) x.response().end();
      } else {
        x.format().sendError(x.response(), error);
      }
    }
    return Future.succeededFuture();
  }

  /** Records the request, then lets every step do its bookkeeping; none of it may fail the request. */
  private void finish(ChatExchange x) {
    RequestRecord row = recorder.record(x);
    for (ChatStep step : steps) {
      try {
        step.finished(x, row);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "a step's bookkeeping failed after the answer", e);
      }
    }
  }

  /** Providers sometimes echo the key they were given; it must not travel any further. */
  private ProxyError scrubbed(ProxyError error) {
    String message = error.getMessage();
    String clean = scrubber.scrub(message);
    return clean.equals(message) ? error : error.withMessage(clean);
  }
}
