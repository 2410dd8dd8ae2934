package io.kimiproxy.api.wiring;

import io.kimiproxy.api.routes.ProviderRoutes;
import io.kimiproxy.config.ProxyConfig;
import io.kimiproxy.proxy.resilience.ProviderHealthRegistry;
import io.vertx.ext.web.Router;

/**
 * The providers' health (issue 3): a circuit breaker and the recent calls of each provider, their
 * state changes on the live feed, each breaker as a metrics gauge, and {@code GET /api/providers}.
 */
public final class ProvidersModule implements Module {
  private final ProxyConfig config;
  private final ProviderHealthRegistry health;

  private ProvidersModule(ProxyConfig config, ProviderHealthRegistry health) {
    this.config = config;
    this.health = health;
  }

  public static ProvidersModule create(Foundation f, LiveModule live) {
    ProviderHealthRegistry health = new ProviderHealthRegistry(f.vertx(), f.config(), live.events());
    f.config().providers().keySet()
        .forEach(name -> live.metrics().registerBreaker(name, () -> health.of(name).breaker()));
    return new ProvidersModule(f.config(), health);
  }

  public ProviderHealthRegistry health() {
    return health;
  }

  @Override
  public void mount(Router router) {
    new ProviderRoutes(config, health).mount(router);
  }
}
