package io.kimiproxy.api.chat;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.model.Usage;
import io.kimiproxy.core.tokens.PromptWork;
import io.kimiproxy.core.tokens.PromptWork;
import io.kimiproxy.core.tokens.TokenCounter;
import io.kimiproxy.core.util.SecretScrubber;
import io.kimiproxy.proxy.adapters.WireAdapters;
import io.kimiproxy.proxy.chain.Admission;
import io.kimiproxy.proxy.chain.ChatExchange;
import io.kimiproxy.proxy.chain.ChatStep;
import io.kimiproxy.proxy.resilience.ProviderHealth;
import io.kimiproxy.proxy.routing.Route;
import io.kimiproxy.proxy.stream.StreamRelay;
import io.kimiproxy.proxy.upstream.Deadline;
import io.kimiproxy.proxy.upstream.UpstreamClient;
import io.kimiproxy.proxy.upstream.UpstreamExchange;
import io.kimiproxy.proxy.wire.NonStreamReply;
import io.kimiproxy.proxy.wire.StreamDecoder;
import io.kimiproxy.proxy.wire.UpstreamCall;
import io.kimiproxy.proxy.wire.WireAdapter;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Supplier;

/**
 * One call to one provider and the relay of its answer to the client, in the client's API. It
 * fails with the reason when the provider did not answer well; whether that may be tried again is
 * the runner's decision ({@link ChatExchange#committed()} tells whether the client has seen bytes).
 */
final class UpstreamAttempt {
  private final WireAdapters adapters;
  private final UpstreamClient upstream;
  private final TokenCounter tokens;
  private final PromptWork work;
  private final SecretScrubber scrubber;
  private final List<ChatStep> steps;

  UpstreamAttempt(WireAdapters adapters, UpstreamClient upstream, TokenCounter tokens, PromptWork work,
                  SecretScrubber scrubber, List<ChatStep> steps) {
    this.adapters = adapters;
    this.upstream = upstream;
    this.tokens = tokens;
    this.work = work;
    this.scrubber = scrubber;
    this.steps = steps;
  }

  Future<Void> run(ChatExchange x, Route route, ProviderHealth health, Admission admission, Deadline deadline) {
    WireAdapter adapter = adapters.forRequest(x.request(), route);
    HttpServerResponse response = x.response();
    long sentNanos = System.nanoTime();
    // Encoding a prompt of megabytes is prompt-sized work: on a worker when the prompt is large.
    return work.sized(x.request().messages(), () -> {
          UpstreamCall call = adapter.toUpstream(x.request(), route);
          x.format().forwardHeaders(x.headers(), call, route.provider().type());
          return call;
        })
        .compose(call -> upstream.send(route.provider(), call, deadline))
        .compose(exchange -> {
          health.recordLatency((System.nanoTime() - sentNanos) / 1_000_000);
          admission.answered(exchange::header);
          response.closeHandler(v -> exchange.cancel());
          if (exchange.status() / 100 != 2) {
            return exchange.body().compose(body -> Future.failedFuture(
                adapter.toError(exchange.status(), body, exchange.header("Retry-After"), route)));
          }
          return x.request().stream() ? relayStream(x, adapter, route, exchange) : relayWhole(x, adapter, route, exchange);
        })
        // A call the client abandoned failed because of the client, not the provider.
        .recover(failure -> !x.committed() && response.closed()
            ? Future.failedFuture(ProxyError.clientClosed()) : Future.failedFuture(failure));
  }

  private Future<Void> relayWhole(ChatExchange x, WireAdapter adapter, Route route, UpstreamExchange exchange) {
    long ttfbMs = x.elapsedMs();
    return exchange.body().map(body -> {
      NonStreamReply reply = adapter.fromUpstream(body, route);
      for (ChatStep step : steps) reply = step.watchWhole(x, route, reply);
      x.ttfbMs(ttfbMs);
      NonStreamReply answered = reply;
      settleUsage(x, answered.usage(), () -> completionText(answered.json()));
      x.response().setStatusCode(exchange.status()).putHeader("Content-Type", "application/json")
          .end(x.format().whole(answered, x.request()));
      return null;
    });
  }

  private Future<Void> relayStream(ChatExchange x, WireAdapter adapter, Route route, UpstreamExchange exchange) {
    StreamDecoder decoder = adapter.newStreamDecoder(x.request(), route);
    for (ChatStep step : steps) decoder = step.watchStream(x, route, decoder);
    return StreamRelay.relay(x.response(), exchange, decoder, x.format().stream(x.request()),
            text -> estimatedUsage(x, text).toOpenAi(), x.startNanos(), scrubber)
        .compose(outcome -> {
          if (outcome.ttfbMs() == null) {
            // Nothing reached the client: the response is untouched and the runner may try again.
            return Future.failedFuture(outcome.clientClosed() ? ProxyError.clientClosed() : outcome.error());
          }
          x.ttfbMs(outcome.ttfbMs());
          settleUsage(x, outcome.usage(), outcome::completionText);
          if (outcome.clientClosed()) {
            x.failed(ProxyError.clientClosed());
            return Future.succeededFuture();
          }
          if (outcome.error() == null) return Future.succeededFuture();
          // A break after the first chunk is still the provider's failure (breaker, error rate).
          x.streamBroke();
          return Future.failedFuture(outcome.error());
        });
  }

  /** The provider's usage when it sent one; else the prompt estimate and a count of what arrived. */
  private void settleUsage(ChatExchange x, JsonObject reported, Supplier<String> completion) {
    if (reported != null) {
      x.usage(Usage.fromOpenAi(reported), false);
    } else {
      x.usage(estimatedUsage(x, completion.get()), true);
    }
  }

  /** The prompt as measured before sending, and the tokens of what the model wrote. */
  private Usage estimatedUsage(ChatExchange x, String completion) {
    return new Usage(x.promptCount().total(), tokens.countText(x.route().upstreamModel(), completion), 0, 0);
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
