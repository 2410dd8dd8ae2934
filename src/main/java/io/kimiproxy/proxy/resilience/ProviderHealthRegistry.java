package io.kimiproxy.proxy.resilience;

import io.kimiproxy.config.ProviderConfig;
import io.kimiproxy.config.ProxyConfig;
import io.kimiproxy.core.events.EventSink;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The health of every configured provider. It outlives configuration reloads, so a breaker keeps
 * its state; a provider a reload adds gets its own on the spot.
 */
public final class ProviderHealthRegistry {
  private final Vertx vertx;
  private final EventSink events;
  private final TeamBreakers team;
  private final Map<String, ProviderHealth> providers = new ConcurrentHashMap<>();

  /** @param team where breakers tell the other instances of a team ({@link TeamBreakers#SOLO} when none) */
  public ProviderHealthRegistry(Vertx vertx, ProxyConfig config, EventSink events, TeamBreakers team) {
    this.vertx = vertx;
    this.events = events;
    this.team = team;
    addMissing(config);
  }

  /** Health for the providers of {@code config} not seen before; their names. */
  public List<String> addMissing(ProxyConfig config) {
    List<String> added = new ArrayList<>();
    for (ProviderConfig provider : config.providers().values()) {
      if (providers.putIfAbsent(provider.name(), new ProviderHealth(vertx, provider, events, team)) == null) {
        added.add(provider.name());
      }
    }
    return added;
  }

  /** The provider's health; every routed provider is a configured one, so it exists. */
  public ProviderHealth of(String provider) {
    return providers.get(provider);
  }

  /**
   * Closes every breaker: for an operator who knows the providers are back.
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
