package io.kimiproxy.proxy.resilience;

import io.kimiproxy.config.ProviderConfig;
import io.kimiproxy.config.Resilience;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.events.EventNames;
import io.kimiproxy.core.events.EventSink;
import io.vertx.core.Vertx;
import java.util.Locale;

/**
 * One provider's health: its circuit breaker and cool-down (a {@link BreakerState}, see there for
 * the rules) and its recent calls. Client requests reach it through {@link RequestCalls}, which
 * gives each request at most one say in the breaker. Every change of the breaker's phase is
 * published as a {@code provider_state} event, the move to half open too (by a timer, as no call
 * may come to notice it).
 */
public final class ProviderHealth {
  /** Calls kept for the latency percentiles and the error rate. */
  static final int WINDOW = 200;

  private final Vertx vertx;
  private final String provider;
  private final Resilience policy;
  private final EventSink events;
  private final BreakerState state;
  private final RecentCalls recent = new RecentCalls(WINDOW);
  private BreakerState.Phase announced = BreakerState.Phase.CLOSED;
  private long probeTimer = -1;

  ProviderHealth(Vertx vertx, ProviderConfig config, EventSink events, BreakerState state) {
    this.vertx = vertx;
    this.provider = config.name();
    this.policy = config.resilience();
    this.events = events;
    this.state = state;
  }

  public String name() {
    return provider;
  }

  Resilience policy() {
    return policy;
  }

  /** The provider started answering this long after the request was sent. */
  public void recordLatency(long ms) {
    recent.latency(ms);
  }

  public ProviderStatus status() {
    return recent.status(provider, breaker());
  }

  /** "closed", "open" or "half_open". */
  public String breaker() {
    return label(state.phase(System.currentTimeMillis()));
  }

  /**
   * Closes the breaker whatever its phase and ends any cool-down (an operator knows the provider
   * is back).
   *
   * @return whether the breaker was open or half open
   */
  public boolean resetBreaker() {
    boolean wasOpen = state.reset();
    announce();
    return wasOpen;
  }

  BreakerState.Admission admit() {
    return state.admit(System.currentTimeMillis());
  }

  /** How long the provider's cool-down still holds calls back (0: it does not). */
  long coolingMs() {
    return Math.max(0, state.coolingUntilMs() - System.currentTimeMillis());
  }

  void coolDown(long ms) {
    state.coolDown(System.currentTimeMillis() + ms);
  }

  /** The refusal of an open breaker, with the seconds until its probe as Retry-After. */
  ProxyError openRefusal() {
    long waitMs = Math.max(0, state.probeAtMs() - System.currentTimeMillis());
    return ProxyError.circuitOpen(provider, Math.max(1, (waitMs + 999) / 1000));
  }

  /** One call's outcome, for the error rate. */
  void called(boolean providerFault) {
    recent.outcome(providerFault);
  }

  /** One client request's verdict on this provider: its only say in the breaker. */
  void settle(boolean succeeded, boolean faulted, boolean probe) {
    long now = System.currentTimeMillis();
    if (succeeded) {
      state.succeeded(now, probe);
    } else if (faulted) {
      state.failed(now, probe);
    } else {
      state.abandoned(probe);
    }
    announce();
  }

  /**
   * A failure the provider is to blame for: what a retry may fix (connect errors, timeouts, a broken
   * answer, 5xx, 529), but not a 429, which is the provider pacing its clients, nor a 400, which
   * says nothing about its health.
   */
  static boolean isProviderFault(ProxyError error) {
    return error.retriable() && error.status() != 429;
  }

  /** Publishes the breaker's phase when it changed; while open, wakes up when the probe is due. */
  private synchronized void announce() {
    long now = System.currentTimeMillis();
    BreakerState.Phase phase = state.phase(now);
    if (phase != announced) {
      announced = phase;
      events.publish(EventNames.PROVIDER_STATE, recent.status(provider, label(phase)).toEvent());
    }
    if (probeTimer >= 0) vertx.cancelTimer(probeTimer);
    probeTimer = phase == BreakerState.Phase.OPEN
        ? vertx.setTimer(Math.max(1, state.probeAtMs() - now), id -> announce()) : -1;
  }

  private static String label(BreakerState.Phase phase) {
    return phase.name().toLowerCase(Locale.ROOT);
  }
}
