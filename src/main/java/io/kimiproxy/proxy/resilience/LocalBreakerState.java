package io.kimiproxy.proxy.resilience;

import io.kimiproxy.config.Resilience;

/** A provider's breaker and cool-down in this process's memory (see {@link BreakerState} for the rules). */
public final class LocalBreakerState implements BreakerState {
  /** Failures older than this stop counting toward opening the breaker; any success clears them all. */
  static final long FAILURE_MEMORY_MS = 600_000;

  private final int threshold;
  private final long resetMs;
  private int failures;
  private long lastFailureMs;
  /** When the breaker opened, or 0 while it is closed. */
  private long openedMs;
  private boolean probeOut;
  private long coolingUntilMs;

  public LocalBreakerState(Resilience policy) {
    this.threshold = policy.breakerFailures();
    this.resetMs = policy.breakerResetMs();
  }

  @Override
  public synchronized Phase phase(long nowMs) {
    if (openedMs == 0) return Phase.CLOSED;
    return nowMs >= openedMs + resetMs ? Phase.HALF_OPEN : Phase.OPEN;
  }

  @Override
  public synchronized Admission admit(long nowMs) {
    return switch (phase(nowMs)) {
      case CLOSED -> Admission.CALL;
      case OPEN -> Admission.REFUSED;
      case HALF_OPEN -> {
        if (probeOut) yield Admission.REFUSED;
        probeOut = true;
        yield Admission.PROBE;
      }
    };
  }

  @Override
  public synchronized void succeeded(long nowMs, boolean probe) {
    if (probe || openedMs == 0) close();
  }

  @Override
  public synchronized void failed(long nowMs, boolean probe) {
    if (probe) {
      probeOut = false;
      openedMs = nowMs;
      return;
    }
    // A request that began before the breaker opened says nothing new once it is open.
    if (openedMs != 0) return;
    if (nowMs - lastFailureMs > FAILURE_MEMORY_MS) failures = 0;
    failures++;
    lastFailureMs = nowMs;
    if (failures >= threshold) openedMs = nowMs;
  }

  @Override
  public synchronized void abandoned(boolean probe) {
    if (probe) probeOut = false;
  }

  @Override
  public synchronized boolean reset() {
    boolean wasOpen = openedMs != 0;
    close();
    coolingUntilMs = 0;
    return wasOpen;
  }

  @Override
  public synchronized long probeAtMs() {
    return openedMs == 0 ? 0 : openedMs + resetMs;
  }

  @Override
  public synchronized void coolDown(long untilMs) {
    coolingUntilMs = Math.max(coolingUntilMs, untilMs);
  }

  @Override
  public synchronized long coolingUntilMs() {
    return coolingUntilMs;
  }

  private void close() {
    openedMs = 0;
    failures = 0;
    probeOut = false;
  }
}
