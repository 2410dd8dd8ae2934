package io.kimiproxy.features.limits;

import io.vertx.core.Future;
import java.util.List;

/**
 * Requests-per-minute and tokens-per-minute limits per scope ("provider:groq", "model:ALIAS",
 * "client:alice"): a request draws from every bucket of its scopes at once or from none, waits up
 * to {@code max_wait_ms} for room, or is refused with 429 and Retry-After. Tokens are debited by
 * the prompt estimate up front and corrected by the real usage. {@link LocalRateLimiter} counts in
 * this process; {@link RedisRateLimiter} counts in the team's Redis, for every instance at once.
 */
public interface RateLimiter {

  /** A granted request; settle it with the real token count once known. */
  interface Permit {
    void settle(long actualTokens);
  }

  Future<Permit> acquire(List<String> scopes, long estimatedTokens);

  /**
   * Reads a provider's {@code x-ratelimit-remaining-*} / {@code x-ratelimit-reset-*} headers: when
   * the provider says nothing is left, its requests wait for its reset instead of being refused.
   */
  void observe(String provider, String remainingRequests, String resetRequests, String remainingTokens,
               String resetTokens);

  /** Every configured bucket as it stands. */
  Future<List<BucketView>> snapshot();
}
