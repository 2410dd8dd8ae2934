package io.kimiproxy.proxy.resilience;

/**
 * Where one provider's circuit breaker and cool-down live. {@link LocalBreakerState} keeps them in
 * this process; an implementation over a shared store lets several proxies in front of the same
 * providers open, probe and cool down together. The rules are the breaker's own, whatever holds it:
 *
 * <ul>
 *   <li>CLOSED: calls go. {@code breaker_failures} client requests in a row that failed through the
 *       provider's fault (each counted once, however many retries it made) open it.</li>
 *   <li>OPEN: calls are refused without touching the network, until {@code breaker_reset_s} passed.</li>
 *   <li>HALF_OPEN: one request is let through as the probe, with its retries; its success closes
 *       the breaker, its failure opens it again, and a request that ends neither way (the client's
 *       own error, a disconnect) gives the probe to the next one.</li>
 * </ul>
 *
 * <p>A cool-down is the provider asking for a pause (a 429's {@code Retry-After}): not a fault, it
 * holds calls back until it ends without counting toward the breaker.
 */
public interface BreakerState {
  enum Phase { CLOSED, OPEN, HALF_OPEN }

  enum Admission { CALL, PROBE, REFUSED }

  Phase phase(long nowMs);

  /** Whether a call may go now; {@link Admission#PROBE} makes the caller the half-open breaker's probe. */
  Admission admit(long nowMs);

  /** One client request got an answer from the provider. */
  void succeeded(long nowMs, boolean probe);

  /** One client request failed through the provider's fault, once however many calls it made. */
  void failed(long nowMs, boolean probe);

  /** A request ended with no verdict on the provider: a probe it held goes to the next request. */
  void abandoned(boolean probe);

  /** The breaker closes and forgets its failures (an operator knows the provider is back). @return whether it was not closed */
  boolean reset();

  /** When an open breaker lets its probe through, or 0 when it is not open. */
  long probeAtMs();

  /** No call before this time (a later cool-down never shortens an earlier one). */
  void coolDown(long untilMs);

  /** The end of the current cool-down, or a past time. */
  long coolingUntilMs();
}
