package io.kimiproxy.api.routes;

import io.kimiproxy.config.ModelConfig;
import io.kimiproxy.config.ProviderConfig;
import io.kimiproxy.config.ProxyConfig;
import io.kimiproxy.proxy.resilience.ProviderHealthRegistry;
import io.kimiproxy.proxy.resilience.ProviderStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.function.Supplier;
import java.net.URI;

/**
 * {@code GET /api/providers}: each provider's address, whether it has a key (never the key), its
 * circuit breaker, recent latency and error rate, and the aliases that route to it.
 */
public final class ProviderRoutes {
  private final Supplier<ProxyConfig> config;
  private final ProviderHealthRegistry health;

  public ProviderRoutes(Supplier<ProxyConfig> config, ProviderHealthRegistry health) {
    this.config = config;
    this.health = health;
  }

  public void mount(Router router) {
    router.get("/api/providers").handler(ctx -> ctx.json(providers()));
  }

  private JsonObject providers() {
    JsonArray data = new JsonArray();
    ProxyConfig current = config.get();
    for (ProviderConfig provider : current.providers().values()) {
      ProviderStatus status = health.of(provider.name()).status();
      JsonArray models = new JsonArray();
      for (ModelConfig model : current.models().values()) {
        if (model.provider().equals(provider.name())) models.add(model.alias());
      }
      data.add(new JsonObject()
          .put("name", provider.name())
          .put("type", provider.type().label())
          .put("base_url", publicUrl(provider.baseUrl()))
          .put("configured", provider.configured())
          .put("key_env", provider.apiKeyEnv())
          .put("breaker", status.breaker())
          .put("latency_p50_ms", status.latencyP50Ms())
          .put("latency_p95_ms", status.latencyP95Ms())
          .put("error_rate", status.errorRate())
          .put("requests", status.requests())
          .put("models", models));
    }
    return new JsonObject().put("object", "list").put("data", data);
  }

  /** Scheme, host, port and path only: user info or a query string may hold a credential. */
  static String publicUrl(URI url) {
    return url.getScheme() + "://" + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "")
        + (url.getRawPath() == null ? "" : url.getRawPath());
  }
}
