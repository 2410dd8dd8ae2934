package io.kimiproxy.proxy.resilience;

/**
 * Where a provider's breaker tells the other instances of a team that it opened or closed, so
 * that one instance's open breaker protects them all. {@link #SOLO} tells nobody.
 */
public interface TeamBreakers {
  TeamBreakers SOLO = new TeamBreakers() {
    @Override
    public void opened(String provider, long untilMs) {}

    @Override
    public void closed(String provider) {}
  };

  /** This instance's breaker opened; the provider is refused until {@code untilMs} (epoch ms). */
  void opened(String provider, long untilMs);

  /** This instance's breaker closed: its probe call got through. */
  void closed(String provider);
}
