package io.kimiproxy.proxy.upstream;

/**
 * When one client request must have its answer: set once per request from the {@code timeout_s}
 * of the provider its model routes to, counted from the request's arrival. Every call made for the
 * request (retries and fallbacks included), every backoff between them and every wait for a
 * provider's cool-down fits in what is left, so the client's whole wait is bounded by it.
 *
 * @param startNanos the request's arrival, on {@link System#nanoTime()}'s clock
 */
public record Deadline(long startNanos, long totalMs) {

  /** Milliseconds left; zero or less once it passed. */
  public long remainingMs() {
    return totalMs - (System.nanoTime() - startNanos) / 1_000_000;
  }

  public boolean passed() {
    return remainingMs() <= 0;
  }

  /** Whether waiting this long still leaves time for a call. */
  public boolean allows(long waitMs) {
    return waitMs < remainingMs();
  }

  /** How a timeout message names it. */
  public String describe() {
    return "total " + totalMs / 1000 + " s";
  }
}
