package io.kimiproxy.api.chat;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.events.EventNames;
import io.kimiproxy.core.events.EventSink;
import io.kimiproxy.proxy.chain.Admission;
import io.kimiproxy.proxy.chain.ChatExchange;
import io.kimiproxy.proxy.chain.ChatStep;
import io.kimiproxy.proxy.resilience.Backoff;
import io.kimiproxy.proxy.resilience.ProviderHealth;
import io.kimiproxy.proxy.resilience.ProviderHealthRegistry;
import io.kimiproxy.proxy.resilience.RequestCalls;
import io.kimiproxy.proxy.routing.Route;
import io.kimiproxy.proxy.upstream.Deadline;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Tries the routes of a request's plan until one answers. Each route gets up to 1 + max_retries
 * calls, apart by backoff with jitter (or the provider's Retry-After, up to a cap), each admitted
 * by the steps (limits, budgets) and made through the provider's circuit breaker and cool-down;
 * when they are spent, or the breaker is open, the next fallback alias takes over. Only retriable
 * failures (connect errors, timeouts, 429, 5xx, 529) are tried again, and never once bytes of the
 * answer reached the client. All of it fits in the request's one deadline, and each provider's
 * breaker hears of the request once (see {@link RequestCalls}).
 *
 * <p>Every attempt but the last is recorded as its own ledger row linked to the request; the last
 * is the request's own row, recorded by the pipeline when everything is over.
 */
final class AttemptRunner {
  private final UpstreamAttempt attempt;
  private final List<ChatStep> steps;
  private final ProviderHealthRegistry health;
  private final UsageRecorder recorder;
  private final EventSink events;

  AttemptRunner(UpstreamAttempt attempt, List<ChatStep> steps, ProviderHealthRegistry health, UsageRecorder recorder,
                EventSink events) {
    this.attempt = attempt;
    this.steps = steps;
    this.health = health;
    this.recorder = recorder;
    this.events = events;
  }

  Future<Void> run(ChatExchange x) {
    RequestCalls calls = new RequestCalls(x.vertx(),
        new Deadline(x.startNanos(), x.routes().get(0).provider().timeouts().totalMs()));
    return onRoute(x, 0, calls)
        .recover(failure -> Future.failedFuture(failure instanceof ProxyError error ? calls.answer(error) : failure))
        .andThen(done -> calls.settle());
  }

  private Future<Void> onRoute(ChatExchange x, int index, RequestCalls calls) {
    Route route = x.routes().get(index);
    return withRetries(x, route, 0, calls).recover(failure -> {
      boolean lastRoute = index + 1 == x.routes().size();
      if (lastRoute || !(failure instanceof ProxyError error) || !error.retriable() || x.committed()
          || calls.deadline().passed()) {
        return Future.failedFuture(failure);
      }
      recorder.recordAttempt(x, error);
      Route next = x.routes().get(index + 1);
      fallingBack(x, route, next, ProxyError.CIRCUIT_OPEN.equals(error.code()) ? "circuit_open" : "retries_exhausted");
      return onRoute(x, index + 1, calls);
    });
  }

  private Future<Void> withRetries(ChatExchange x, Route route, int retry, RequestCalls calls) {
    x.startAttempt(route);
    ProviderHealth provider = health.of(route.provider().name());
    return admit(x, route, 0, new ArrayList<>())
        .compose(admission -> calls.<Void>call(provider, () -> attempt.run(x, route, provider, admission, calls.deadline()))
            .andThen(done -> admission.settle(done.succeeded() && x.usage() != null ? x.usage().totalTokens() : 0)))
        .recover(failure -> {
          long delay = failure instanceof ProxyError error && error.retriable() && !x.committed()
              ? calls.retryDelay(route.provider().resilience(), retry, error) : Backoff.GIVE_UP;
          if (delay == Backoff.GIVE_UP) return Future.failedFuture(failure);
          recorder.recordAttempt(x, (ProxyError) failure);
          return sleep(x, delay).compose(v -> x.response().closed()
              ? Future.failedFuture(ProxyError.clientClosed())
              : withRetries(x, route, retry + 1, calls));
        });
  }

  /** Every step's admission, in order; when one refuses, those already given are settled unused. */
  private Future<Admission> admit(ChatExchange x, Route route, int index, List<Admission> given) {
    if (index == steps.size()) return Future.succeededFuture(combined(given));
    return steps.get(index).admit(x, route)
        .compose(a -> {
          given.add(a);
          return admit(x, route, index + 1, given);
        })
        .onFailure(e -> {
          if (index == 0) given.forEach(a -> a.settle(0));
        });
  }

  private static Admission combined(List<Admission> admissions) {
    List<Admission> real = admissions.stream().filter(a -> a != Admission.NONE).toList();
    if (real.isEmpty()) return Admission.NONE;
    if (real.size() == 1) return real.get(0);
    return new Admission() {
      @Override
      public void settle(long tokens) {
        real.forEach(a -> a.settle(tokens));
      }

      @Override
      public void answered(UnaryOperator<String> header) {
        real.forEach(a -> a.answered(header));
      }
    };
  }

  private static Future<Void> sleep(ChatExchange x, long ms) {
    Promise<Void> elapsed = Promise.promise();
    x.vertx().setTimer(Math.max(1, ms), id -> elapsed.complete());
    return elapsed.future();
  }

  private void fallingBack(ChatExchange x, Route from, Route to, String reason) {
    events.publish(EventNames.MODEL_FALLBACK, new JsonObject()
        .put("session", x.sessionId())
        .put("from", from.alias())
        .put("to", to.alias())
        .put("reason", reason));
  }
}
