package io.kimiproxy.proxy.resilience;

import io.kimiproxy.config.ProviderConfig;
import io.kimiproxy.config.ProxyConfig;
import io.kimiproxy.core.events.EventSink;
import io.vertx.core.Vertx;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The health of every configured provider, created once with the proxy. */
public final class ProviderHealthRegistry {
  private final Map<String, ProviderHealth> providers;

  public ProviderHealthRegistry(Vertx vertx, ProxyConfig config, EventSink events) {
    Map<String, ProviderHealth> map = new LinkedHashMap<>();
    for (ProviderConfig provider : config.providers().values()) {
      map.put(provider.name(), new ProviderHealth(vertx, provider, events));
    }
    this.providers = Collections.unmodifiableMap(map);
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
