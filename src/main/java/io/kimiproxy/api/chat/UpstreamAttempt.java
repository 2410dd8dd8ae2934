package io.kimiproxy.api.chat;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.features.guardrails.ToolCallContext;
import io.kimiproxy.features.guardrails.ToolCallInspection;
import io.kimiproxy.features.guardrails.ToolCallInspector;
import io.kimiproxy.core.model.Usage;
import io.kimiproxy.core.tokens.PromptWork;
import io.kimiproxy.core.tokens.TokenCounter;
import io.kimiproxy.core.util.SecretScrubber;
import io.kimiproxy.proxy.adapters.WireAdapters;
import io.kimiproxy.features.guardrails.AnswerGate;
import io.kimiproxy.features.guardrails.ToolCallGate;
import io.kimiproxy.proxy.resilience.ProviderHealth;
import io.kimiproxy.proxy.routing.Route;
import io.kimiproxy.proxy.stream.ChunkRecorder;
import io.kimiproxy.proxy.stream.StreamRelay;
import io.kimiproxy.proxy.upstream.UpstreamClient;
import io.kimiproxy.proxy.upstream.UpstreamExchange;
import io.kimiproxy.proxy.wire.NonStreamReply;
import io.kimiproxy.proxy.wire.StreamDecoder;
import io.kimiproxy.proxy.wire.WireAdapter;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * One call to one provider and the relay of its answer to the client. It fails with the reason
 * when the provider did not answer well; whether that may be tried again is the runner's decision
 * ({@link ChatExchange#committed()} tells whether the client has already seen bytes).
 */
final class UpstreamAttempt {
  private final WireAdapters adapters;
  private final UpstreamClient upstream;
  private final TokenCounter tokens;
  private final SecretScrubber scrubber;
  private final ToolCallInspector toolCalls;
  private final SpendingGate gate;

  UpstreamAttempt(WireAdapters adapters, UpstreamClient upstream, TokenCounter tokens, SecretScrubber scrubber,
                  ToolCallInspector toolCalls, SpendingGate gate) {
    this.adapters = adapters;
    this.upstream = upstream;
    this.tokens = tokens;
    this.scrubber = scrubber;
    this.toolCalls = toolCalls;
    this.gate = gate;
  }

  Future<Void> run(ChatExchange x, Route route, ProviderHealth health) {
    WireAdapter adapter = adapters.forType(route.provider().type());
    HttpServerResponse response = x.ctx.response();
    long sentNanos = System.nanoTime();
    // Encoding a prompt of megabytes is prompt-sized work: on a worker when the prompt is large.
    return new PromptWork(x.ctx.vertx(), tokens).sized(x.request.messages(), () -> adapter.toUpstream(x.request, route))
        .compose(call -> upstream.send(route.provider(), call))
        .compose(exchange -> {
          health.recordLatency((System.nanoTime() - sentNanos) / 1_000_000);
          gate.observed(route.provider().name(), exchange::header);
          response.closeHandler(v -> exchange.cancel());
          if (exchange.status() / 100 != 2) {
            return exchange.body().compose(body -> Future.failedFuture(
                adapter.toError(exchange.status(), body, exchange.header("Retry-After"), route)));
          }
          return x.request.stream() ? relayStream(x, adapter, route, exchange) : relayWhole(x, adapter, route, exchange);
        })
        // A call the client abandoned failed because of the client, not the provider.
        .recover(failure -> !x.committed() && response.closed()
            ? Future.failedFuture(ProxyError.clientClosed()) : Future.failedFuture(failure));
  }

  private Future<Void> relayWhole(ChatExchange x, WireAdapter adapter, Route route, UpstreamExchange exchange) {
    long ttfbMs = x.elapsedMs();
    return exchange.body().map(body -> {
      NonStreamReply reply = adapter.fromUpstream(body, route);
      x.ttfbMs = ttfbMs;
      settleUsage(x, reply.usage(), () -> completionText(reply.json()));
      Buffer answer = AnswerGate.filter(reply, inspection(x, route));
      if (x.cacheKey != null) x.answerBody = answer.toString();
      x.ctx.response().setStatusCode(exchange.status()).putHeader("Content-Type", "application/json").end(answer);
      return null;
    });
  }

  private Future<Void> relayStream(ChatExchange x, WireAdapter adapter, Route route, UpstreamExchange exchange) {
    StreamDecoder decoder = ToolCallGate.around(adapter.newStreamDecoder(x.request, route), inspection(x, route));
    if (x.cacheKey != null) {
      // What the client sees (after the guardrails) is what a cache hit will replay.
      x.recorder = ChunkRecorder.around(decoder);
      decoder = x.recorder;
    }
    return StreamRelay.relay(x.ctx.response(), exchange, decoder, x.request.includeUsage(),
            text -> estimatedUsage(x, text).toOpenAi(), x.startNanos, scrubber)
        .compose(outcome -> {
          if (outcome.ttfbMs() == null) {
            // Nothing reached the client: the response is untouched and the runner may try again.
            return Future.failedFuture(outcome.clientClosed() ? ProxyError.clientClosed() : outcome.error());
          }
          x.ttfbMs = outcome.ttfbMs();
          settleUsage(x, outcome.usage(), outcome::completionText);
          if (outcome.clientClosed()) {
            x.failed(ProxyError.clientClosed());
            return Future.succeededFuture();
          }
          if (outcome.error() == null) return Future.succeededFuture();
          // A break after the first chunk is still the provider's failure (breaker, error rate).
          x.streamBroken = true;
          return Future.failedFuture(outcome.error());
        });
  }

  /** The guardrails' inspection of this attempt's tool calls, or null when they are off. */
  private ToolCallInspection inspection(ChatExchange x, Route route) {
    return toolCalls.open(new ToolCallContext(x.id, x.sessionId, x.client, route.alias(), x.request.stream()));
  }

  /** The provider's usage when it sent one; else the prompt estimate and a count of what arrived. */
  private void settleUsage(ChatExchange x, JsonObject reported, Supplier<String> completion) {
    if (reported != null) {
      x.usage = Usage.fromOpenAi(reported);
      x.usageEstimated = false;
    } else {
      x.usage = estimatedUsage(x, completion.get());
      x.usageEstimated = true;
    }
  }

  /** The prompt as measured before sending, and the tokens of what the model wrote. */
  private Usage estimatedUsage(ChatExchange x, String completion) {
    return new Usage(x.promptCount.total(), tokens.countText(x.route.upstreamModel(), completion), 0, 0);
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
