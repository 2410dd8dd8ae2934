package io.kimiproxy.proxy.resilience;

import io.kimiproxy.config.Resilience;
import io.kimiproxy.core.error.ErrorType;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.proxy.upstream.Deadline;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * One client request's calls to providers, retries and fallbacks included:
 * <ul>
 *   <li>one {@link Deadline} for all of them: no backoff or cool-down wait is started that would end
 *       past it;</li>
 *   <li>each call goes through its provider's breaker and cool-down, waiting out a cool-down that
 *       fits in {@code retry_after_max_s} and the deadline;</li>
 *   <li>a 429 starts the provider's cool-down from its {@code Retry-After}, and is no fault;</li>
 *   <li>the request's verdict on each provider (answered, failed through its fault, neither) goes to
 *       that provider's breaker once, in {@link #settle()}, however many calls it made;</li>
 *   <li>when the request ends on a refusal (a breaker that opened meanwhile, a cool-down too long to
 *       wait), the client gets the last error a provider actually answered with, not the refusal.</li>
 * </ul>
 * Used from one request's context only, one call at a time.
 */
public final class RequestCalls {
  /** The code of a call held back by its provider's cool-down. */
  public static final String COOLING_DOWN = "provider_cooling_down";

  private final Vertx vertx;
  private final Deadline deadline;
  private final Map<ProviderHealth, Verdict> verdicts = new LinkedHashMap<>();
  private ProxyError lastAnswered;

  private static final class Verdict {
    boolean probe;
    boolean succeeded;
    boolean faulted;
  }

  public RequestCalls(Vertx vertx, Deadline deadline) {
    this.vertx = vertx;
    this.deadline = deadline;
  }

  public Deadline deadline() {
    return deadline;
  }

  /** Runs one call to the provider, or refuses it (breaker open, cool-down too long) without calling. */
  public <T> Future<T> call(ProviderHealth provider, Supplier<Future<T>> call) {
    Verdict verdict = verdicts.computeIfAbsent(provider, p -> new Verdict());
    long coolingMs = provider.coolingMs();
    if (coolingMs > 0) {
      if (coolingMs > provider.policy().retryAfterMaxMs() || !deadline.allows(coolingMs)) {
        return Future.failedFuture(coolingRefusal(provider.name(), coolingMs));
      }
      return sleep(coolingMs).compose(v -> call(provider, call)); // asks again: another 429 may have lengthened it
    }
    if (!verdict.probe) {
      switch (provider.admit()) {
        case REFUSED -> {
          return Future.failedFuture(provider.openRefusal());
        }
        case PROBE -> verdict.probe = true;
        case CALL -> { }
      }
    }
    Future<T> own;
    try {
      own = call.get();
    } catch (RuntimeException e) {
      own = Future.failedFuture(e);
    }
    return own.andThen(result -> observe(provider, verdict, result));
  }

  /**
   * How long to wait before calling the same provider again after this failure, or
   * {@link Backoff#GIVE_UP}: after a refusal (no call was made; asking again is refused again),
   * when the retries are spent, or when the wait would not end before the deadline.
   */
  public long retryDelay(Resilience policy, int retry, ProxyError error) {
    if (isRefusal(error)) return Backoff.GIVE_UP;
    long delay = Backoff.delayMs(policy, retry, error.retryAfter(), ThreadLocalRandom.current().nextDouble());
    return delay == Backoff.GIVE_UP || !deadline.allows(delay) ? Backoff.GIVE_UP : delay;
  }

  /** What the client is told when the request ends on {@code failure}: a refusal yields to the last provider's answer. */
  public ProxyError answer(ProxyError failure) {
    return isRefusal(failure) && lastAnswered != null ? lastAnswered : failure;
  }

  /** Gives each provider the request called its one verdict. Once, when the request is over. */
  public void settle() {
    verdicts.forEach((provider, v) -> provider.settle(v.succeeded, v.faulted, v.probe));
    verdicts.clear();
  }

  private void observe(ProviderHealth provider, Verdict verdict, AsyncResult<?> result) {
    if (result.succeeded()) {
      verdict.succeeded = true;
      provider.called(false);
      return;
    }
    // A client that went away says nothing of the provider.
    if (!(result.cause() instanceof ProxyError error) || "client_closed".equals(error.code())) {
      provider.called(false);
      return;
    }
    lastAnswered = error;
    if (error.status() == 429) {
      long pauseMs = Backoff.retryAfterMs(error.retryAfter(), System.currentTimeMillis());
      if (pauseMs > 0) provider.coolDown(pauseMs);
    }
    boolean fault = ProviderHealth.isProviderFault(error);
    verdict.faulted |= fault;
    provider.called(fault);
  }

  private static boolean isRefusal(ProxyError error) {
    return ProxyError.CIRCUIT_OPEN.equals(error.code()) || COOLING_DOWN.equals(error.code());
  }

  private static ProxyError coolingRefusal(String provider, long coolingMs) {
    long seconds = Math.max(1, (coolingMs + 999) / 1000);
    return ProxyError.fromUpstream(429, ErrorType.RATE_LIMIT, COOLING_DOWN, null, "Provider '" + provider
        + "' asked for a pause (429 with Retry-After); it ends in " + seconds + " s.", String.valueOf(seconds));
  }

  private Future<Void> sleep(long ms) {
    Promise<Void> elapsed = Promise.promise();
    vertx.setTimer(Math.max(1, ms), id -> elapsed.complete());
    return elapsed.future();
  }
}
