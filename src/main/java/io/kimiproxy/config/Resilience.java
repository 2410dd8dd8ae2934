package io.kimiproxy.config;

/**
 * How hard the proxy tries one provider before giving up on it (and moving to a fallback alias).
 *
 * @param maxRetries       further attempts after the first, on connect errors, timeouts, 429 and 5xx/529
 * @param retryBaseMs      the first backoff; each retry doubles it, with jitter
 * @param retryAfterMaxMs  the longest Retry-After the proxy waits out; a longer one skips to a fallback
 * @param breakerFailures  consecutive failed calls that open the provider's circuit breaker
 * @param breakerResetMs   how long an open breaker refuses calls before letting one probe through
 */
public record Resilience(int maxRetries, long retryBaseMs, long retryAfterMaxMs, int breakerFailures,
                         long breakerResetMs) {

  /** What a provider gets for every key its config leaves out. */
  public static final Resilience DEFAULTS = new Resilience(2, 500, 30_000, 5, 30_000);
}
