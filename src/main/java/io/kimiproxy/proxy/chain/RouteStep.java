package io.kimiproxy.proxy.chain;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.proxy.routing.ModelResolver;
import io.vertx.core.Future;

/**
 * The model the earlier steps settled on, then its fallbacks, as provider routes. The first must
 * have a key: a provider without one is a 401 naming the environment variable to set.
 */
public final class RouteStep implements ChatStep {
  private final ModelResolver resolver;

  public RouteStep(ModelResolver resolver) {
    this.resolver = resolver;
  }

  @Override
  public Future<Void> prepare(ChatExchange x) {
    x.routes(resolver.routes(x.request().model(), x.promptCount().total()));
    if (!x.route().provider().configured()) {
      throw ProxyError.of(401, "authentication_error", "provider_not_configured", x.route().provider().missingKeyMessage());
    }
    return Future.succeededFuture();
  }
}
