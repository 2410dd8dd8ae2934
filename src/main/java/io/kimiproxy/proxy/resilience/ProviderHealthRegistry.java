package io.kimiproxy.proxy.resilience;

import io.kimiproxy.config.ProviderConfig;
import io.kimiproxy.config.ProxyConfig;
import io.kimiproxy.core.events.EventSink;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The health of every configured provider. It outlives configuration reloads, so a breaker keeps
 * its state; a provider a reload adds gets its own on the spot.
 */
public final class ProviderHealthRegistry {
  private final Vertx vertx;
  private final EventSink events;
  private final Function<ProviderConfig, BreakerState> states;
  private final Map<String, ProviderHealth> providers = new ConcurrentHashMap<>();

  /** @param states where each provider's breaker and cool-down are kept ({@link LocalBreakerState}: in memory) */
  public ProviderHealthRegistry(Vertx vertx, ProxyConfig config, EventSink events,
                                Function<ProviderConfig, BreakerState> states) {
    this.vertx = vertx;
    this.events = events;
    this.states = states;
    addMissing(config);
  }

  /** Health for the providers of {@code config} not seen before; their names. */
  public List<String> addMissing(ProxyConfig config) {
    List<String> added = new ArrayList<>();
    for (ProviderConfig provider : config.providers().values()) {
      providers.computeIfAbsent(provider.name(), name -> {
        added.add(name);
        return new ProviderHealth(vertx, provider, events, states.apply(provider));
      });
    }
    return added;
  }

  /** The provider's health; every routed provider is a configured one, so it exists. */
  public ProviderHealth of(String provider) {
    return providers.get(provider);
  }

  /**
   * Closes every breaker and ends every cool-down: for an operator who knows the providers are back.
   *
   * @return how many were open or half open
   */
  public int resetBreakers() {
    int reset = 0;
    for (ProviderHealth provider : providers.values()) {
      if (provider.resetBreaker()) reset++;
    }
    return reset;
  }
}
