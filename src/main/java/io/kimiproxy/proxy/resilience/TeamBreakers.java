package io.kimiproxy.proxy.resilience;

/**
 * Where a provider's breaker tells the other instances of a team what happened to it, so that one
 * instance's open breaker, or a provider's request for a pause, holds for them all.
 */
interface TeamBreakers {

  /** This instance's breaker opened; the provider is refused until {@code probeAtMs} (epoch ms). */
  void opened(String provider, long probeAtMs);

  /** This instance's breaker closed (its probe got through, or an operator reset it). */
  void closed(String provider);

  /** The provider asked for a pause (a 429's Retry-After) until {@code untilMs}. */
  void cooledDown(String provider, long untilMs);
}
