package io.kimiproxy.proxy.resilience;

import io.kimiproxy.config.ProviderConfig;
import io.kimiproxy.config.Resilience;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.events.EventNames;
import io.kimiproxy.core.events.EventSink;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * One provider's circuit breaker and recent-call statistics. After {@code breaker_failures}
 * consecutive calls that failed through the provider's fault (connect errors, timeouts, 429, 5xx)
 * the breaker opens: calls fail at once, without touching the network, so that a fallback answers
 * quickly. After {@code breaker_reset_s} one probe call goes through (half open); its success
 * closes the breaker, its failure opens it again. Every state change is published as a
 * {@code provider_state} event.
 */
public final class ProviderHealth {
  /** Calls kept for the latency percentiles and the error rate. */
  static final int WINDOW = 200;
  /** Failures older than this stop counting toward opening the breaker; any success clears them all. */
  static final long FAILURE_MEMORY_MS = 600_000;

  private final Vertx vertx;
  private final String provider;
  private final Resilience policy;
  private final EventSink events;
  private final RecentCalls recent = new RecentCalls(WINDOW);
  private final TeamBreakers team;
  private volatile CircuitBreaker breaker;
  /** Until when another instance of the team has this provider's breaker open (epoch ms; 0: not). */
  private volatile long teamOpenUntilMs;

  ProviderHealth(Vertx vertx, ProviderConfig config, EventSink events, TeamBreakers team) {
    this.vertx = vertx;
    this.provider = config.name();
    this.policy = config.resilience();
    this.events = events;
    this.team = team;
    this.breaker = newBreaker();
  }

  /**
   * Runs one call through the breaker. An open breaker fails it with {@link ProxyError#circuitOpen}
   * without running it; otherwise its outcome feeds the breaker and the error rate.
   *
   * <p>The caller gets the call's own future, not the breaker's: the breaker hands results on a
   * turn of the event loop later, and what follows a call (the ledger row a client may read right
   * after its answer) must not wait for the breaker's bookkeeping. The breaker runs the call, or
   * refuses it, before {@code execute} returns.
   */
  public <T> Future<T> call(Supplier<Future<T>> call) {
    long teamOpenMs = teamOpenUntilMs - System.currentTimeMillis();
    if (teamOpenMs > 0) return Future.failedFuture(ProxyError.circuitOpen(provider, Math.max(1, (teamOpenMs + 999) / 1000)));
    List<Future<T>> ran = new ArrayList<>(1);
    Future<T> guarded = breaker.execute(() -> {
      Future<T> own;
      try {
        own = call.get();
      } catch (RuntimeException e) {
        own = Future.failedFuture(e);
      }
      ran.add(own);
      return own;
    });
    if (ran.isEmpty()) {
      return guarded.recover(refused -> Future.failedFuture(
          ProxyError.circuitOpen(provider, Math.max(1, policy.breakerResetMs() / 1000))));
    }
    return ran.get(0).andThen(result -> recent.outcome(result.failed() && isProviderFault(result.cause())));
  }

  /** The provider started answering this long after the request was sent. */
  public void recordLatency(long ms) {
    recent.latency(ms);
  }

  public ProviderStatus status() {
    return recent.status(provider, breaker());
  }

  /** "closed", "open" or "half_open"; open while another instance of the team has it open. */
  public String breaker() {
    return teamOpenUntilMs > System.currentTimeMillis() ? "open" : label(breaker.state());
  }

  /** Another instance's breaker opened: this one refuses the provider too, until then. */
  public void openedByTeam(long untilMs) {
    if (untilMs <= teamOpenUntilMs) return;
    teamOpenUntilMs = untilMs;
    events.publish(EventNames.PROVIDER_STATE, status().toEvent());
  }

  /** Another instance's probe got through: the provider answers again. */
  public void closedByTeam() {
    if (teamOpenUntilMs == 0) return;
    teamOpenUntilMs = 0;
    events.publish(EventNames.PROVIDER_STATE, status().toEvent());
  }

  /**
   * Closes the breaker whatever its state (an operator knows the provider is back). The library
   * only lets a half-open breaker close, so an open one is replaced by a fresh breaker.
   *
   * @return whether the breaker was open or half open
   */
  public synchronized boolean resetBreaker() {
    CircuitBreaker old = breaker;
    boolean teamOpen = teamOpenUntilMs > System.currentTimeMillis();
    teamOpenUntilMs = 0;
    if (teamOpen || old.state() != CircuitBreakerState.CLOSED) team.closed(provider);
    if (old.state() == CircuitBreakerState.CLOSED) {
      old.reset(); // forgets the failures counted so far
      return teamOpen;
    }
    breaker = newBreaker();
    old.close();
    events.publish(EventNames.PROVIDER_STATE, status().toEvent());
    return true;
  }

  /** Only failures a provider is to blame for count; a 400 for a bad request says nothing about its health. */
  static boolean isProviderFault(Throwable failure) {
    return failure instanceof ProxyError error && error.retriable();
  }

  private CircuitBreaker newBreaker() {
    CircuitBreakerOptions options = new CircuitBreakerOptions()
        .setMaxFailures(policy.breakerFailures())
        .setResetTimeout(policy.breakerResetMs())
        .setFailuresRollingWindow(FAILURE_MEMORY_MS)
        .setTimeout(-1) // each upstream exchange has its own deadlines
        .setMaxRetries(0); // retries need Retry-After and the client's state: the attempt runner does them
    CircuitBreaker created = CircuitBreaker.create("provider-" + provider, vertx, options);
    created.failurePolicy(result -> result.failed() && isProviderFault(result.cause()));
    created.openHandler(v -> changed(created))
        .halfOpenHandler(v -> changed(created))
        .closeHandler(v -> changed(created));
    return created;
  }

  private void changed(CircuitBreaker source) {
    // A replaced breaker's pending half-open timer may still fire: only the current one speaks.
    if (source == breaker) {
      events.publish(EventNames.PROVIDER_STATE, recent.status(provider, label(source.state())).toEvent());
      if (source.state() == CircuitBreakerState.OPEN) team.opened(provider, System.currentTimeMillis() + policy.breakerResetMs());
      if (source.state() == CircuitBreakerState.CLOSED) team.closed(provider);
    }
  }

  private static String label(CircuitBreakerState state) {
    return state.name().toLowerCase(Locale.ROOT);
  }
}
