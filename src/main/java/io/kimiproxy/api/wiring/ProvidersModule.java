package io.kimiproxy.api.wiring;

import io.kimiproxy.api.routes.ProviderRoutes;
import io.kimiproxy.config.ProxyConfig;
import io.kimiproxy.proxy.resilience.LocalBreakerState;
import io.kimiproxy.proxy.resilience.ProviderHealthRegistry;
import io.kimiproxy.proxy.resilience.RedisBreakers;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The providers' health (issue 3): a circuit breaker and the recent calls of each provider, their
 * state changes on the live feed, each breaker as a metrics gauge, and {@code GET /api/providers}.
 */
public final class ProvidersModule implements Module {
  private final AtomicReference<ProxyConfig> config;
  private final ProviderHealthRegistry health;
  private final LiveModule live;
  /** The team's breakers on Redis, or null when solo. */
  private final RedisBreakers team;

  private ProvidersModule(ProxyConfig config, ProviderHealthRegistry health, LiveModule live, RedisBreakers team) {
    this.config = new AtomicReference<>(config);
    this.health = health;
    this.live = live;
    this.team = team;
  }

  public static ProvidersModule create(Foundation f, LiveModule live) {
    // A team's instances share their breakers and cool-downs through Redis; one proxy keeps its own.
    RedisBreakers team = f.redis() == null ? null : new RedisBreakers(f.redis());
    ProviderHealthRegistry health = new ProviderHealthRegistry(f.vertx(), f.config(), live.events(),
        provider -> team == null ? new LocalBreakerState(provider.resilience()) : team.state(provider));
    ProvidersModule module = new ProvidersModule(f.config(), health, live, team);
    f.config().providers().keySet().forEach(module::gauge);
    return module;
  }

  /** A team's instance starts with the breakers the others have open and the pauses providers asked for. */
  @Override
  public Future<Void> beforeListening() {
    return team == null ? Future.succeededFuture() : team.listen();
  }

  @Override
  public Future<Void> close() {
    if (team != null) team.close();
    return Future.succeededFuture();
  }

  /** After a reload: the list follows the new configuration, and new providers get health and a gauge. */
  public void update(ProxyConfig next) {
    config.set(next);
    health.addMissing(next).forEach(this::gauge);
  }

  private void gauge(String provider) {
    live.metrics().registerBreaker(provider, () -> health.of(provider).breaker());
  }

  public ProviderHealthRegistry health() {
    return health;
  }

  @Override
  public void mount(Router router) {
    new ProviderRoutes(config::get, health).mount(router);
  }
}
