package io.kimiproxy.proxy.resilience;

import io.kimiproxy.config.Resilience;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * When to call a provider again after a retriable failure: exponential backoff with jitter, or the
 * provider's own Retry-After when it sent one, as long as that is not longer than the configured cap.
 */
public final class Backoff {
  /** Returned when the provider should not be tried again for this request. */
  public static final long GIVE_UP = -1;
  /** No backoff grows past this, whatever retry_base_ms and max_retries say. */
  static final long MAX_DELAY_MS = 30_000;

  private Backoff() {}

  /**
   * @param retry      0 before the first retry, 1 before the second...
   * @param retryAfter the provider's Retry-After header, or null
   * @param random     a number in [0, 1) that spreads the retries of many requests apart
   * @return milliseconds to wait, or {@link #GIVE_UP}
   */
  public static long delayMs(Resilience policy, int retry, String retryAfter, double random) {
    if (retry >= policy.maxRetries()) return GIVE_UP;
    long ceiling = Math.min(MAX_DELAY_MS, policy.retryBaseMs() << Math.min(retry, 20));
    // Half fixed, half random: never a retry storm in lockstep, never a near-zero wait.
    long backoff = ceiling / 2 + (long) (random * (ceiling - ceiling / 2));
    long asked = retryAfterMs(retryAfter, System.currentTimeMillis());
    if (asked < 0) return backoff;
    // Waiting longer than the cap would stall the client; a fallback alias serves it sooner.
    if (asked > policy.retryAfterMaxMs()) return GIVE_UP;
    return Math.max(asked, backoff);
  }

  /** Retry-After as milliseconds from now: delta-seconds (whole or decimal) or an HTTP date; -1 if absent or unreadable. */
  static long retryAfterMs(String value, long nowMs) {
    if (value == null || value.isBlank()) return -1;
    String v = value.trim();
    try {
      double seconds = Double.parseDouble(v);
      return seconds < 0 || Double.isNaN(seconds) ? -1 : (long) Math.ceil(seconds * 1000);
    } catch (NumberFormatException notSeconds) {
      try {
        long at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        return Math.max(0, at - nowMs);
      } catch (DateTimeParseException notDate) {
        return -1;
      }
    }
  }
}
