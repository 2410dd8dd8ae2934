package io.kimiproxy.api;

import io.kimiproxy.api.chat.ChatPipeline;
import io.kimiproxy.api.http.ApiRouter;
import io.kimiproxy.api.routes.ExportRoutes;
import io.kimiproxy.api.routes.GuardrailRoutes;
import io.kimiproxy.api.routes.LedgerRoutes;
import io.kimiproxy.api.routes.ModelRoutes;
import io.kimiproxy.api.security.RequestGuard;
import io.kimiproxy.api.wiring.AgentModule;
import io.kimiproxy.api.wiring.ClientsModule;
import io.kimiproxy.api.wiring.ContextModule;
import io.kimiproxy.api.wiring.Foundation;
import io.kimiproxy.api.wiring.GuardrailsModule;
import io.kimiproxy.api.wiring.LiveModule;
import io.kimiproxy.api.wiring.Module;
import io.kimiproxy.api.wiring.ProvidersModule;
import io.kimiproxy.config.ProxyConfig;
import io.kimiproxy.core.db.Database;
import io.kimiproxy.core.ledger.LedgerWriter;
import io.kimiproxy.core.tokens.TokenCounter;
import io.kimiproxy.proxy.adapters.WireAdapters;
import io.kimiproxy.proxy.routing.ModelResolver;
import io.kimiproxy.proxy.resilience.ProviderHealthRegistry;
import io.kimiproxy.services.live.LiveHub;
import io.kimiproxy.services.metrics.ProxyMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.logging.Logger;

/**
 * Starts the proxy: the shared {@link Foundation}, one {@link Module} per feature, the chat
 * pipeline, and the HTTP server. {@link #close()} takes it down in reverse order.
 */
public final class ProxyServer {
  private static final Logger LOG = Logger.getLogger(ProxyServer.class.getName());
  private static final int TOKEN_CACHE_ENTRIES = 50_000;

  private final Foundation foundation;
  private final LiveModule live;
  private final ProvidersModule providers;
  private final List<Module> modules;
  private final HttpVerticle verticle;
  private final String deploymentId;

  private ProxyServer(Foundation foundation, LiveModule live, ProvidersModule providers, List<Module> modules,
                      HttpVerticle verticle,
                      String deploymentId) {
    this.foundation = foundation;
    this.live = live;
    this.providers = providers;
    this.modules = modules;
    this.verticle = verticle;
    this.deploymentId = deploymentId;
  }

  public static Future<ProxyServer> start(Vertx vertx, ProxyConfig config) {
    // Made here, on the caller's thread: the registry and the JVM binders take most of a second to
    // load, which is not an event loop's to spend.
    ProxyMetrics metrics = new ProxyMetrics();
    TokenCounter tokens = new TokenCounter(TOKEN_CACHE_ENTRIES);
    // Loading a vocabulary takes seconds: do it on a worker now, not on the event loop at the first request.
    return vertx.executeBlocking(tokens::preload, false)
        .compose(loaded -> Database.open(vertx, config.databaseFile()))
        .compose(database -> {
          Foundation f = Foundation.create(vertx, config, database, tokens);
          LiveModule live = LiveModule.create(f, metrics);
          ContextModule context = ContextModule.create(f, live.events());
          ClientsModule clients = ClientsModule.create(f, live.events());
          GuardrailsModule guardrails = GuardrailsModule.create(f, live.events());
          ProvidersModule providers = ProvidersModule.create(f, live);
          List<Module> modules = List.of(live, context, clients, guardrails, providers, AgentModule.create(f));
          ChatPipeline chat = new ChatPipeline(new ModelResolver(config), new WireAdapters(), f.upstream(), tokens,
              f.ledger(), live.events(), f.scrubber(), context.steps(), clients.monitor(), guardrails.guardrails(),
              providers.health());
          HttpVerticle verticle = new HttpVerticle(config.server().host(), config.server().port(),
              () -> routes(f, chat, modules));
          return Future.all(modules.stream().map(Module::beforeListening).toList())
              .compose(v -> vertx.deployVerticle(verticle))
              .map(id -> new ProxyServer(f, live, providers, modules, verticle, id))
              .onSuccess(server -> {
                f.self().bind(server.port());
                LOG.info("Kimi Proxy listening on http://" + config.server().host() + ":" + server.port() + " ("
                    + config.models().size() + " models, " + config.providers().size() + " providers, database "
                    + config.databaseFile() + ")");
              })
              .onFailure(e -> {
                live.close();
                database.close();
              });
        })
        .onFailure(e -> metrics.close());
  }

  private static Router routes(Foundation f, ChatPipeline chat, List<Module> modules) {
    long maxBody = f.config().server().maxBodyBytes();
    Router router = ApiRouter.create(f.vertx(), maxBody);
    router.route().handler(new RequestGuard(f.config().server(), f.internal()));
    for (String path : new String[] {"/v1/chat/completions", "/chat/completions"}) {
      router.post(path).handler(ApiRouter.bodies(maxBody)).handler(chat::handle);
    }
    new ModelRoutes(f.config()).mount(router);
    new LedgerRoutes(f.store(), f.ledger()).mount(router);
    new ExportRoutes(f.store(), f.ledger()).mount(router);
    modules.forEach(m -> m.mount(router));
    return router;
  }

  public int port() {
    return verticle.actualPort();
  }

  public LedgerWriter ledger() {
    return foundation.ledger();
  }

  /** Where features publish their events for the dashboard (and where it subscribes). */
  /** Circuit breakers and recent latency of every provider (and {@code resetBreakers()} for recovery). */
  public ProviderHealthRegistry providerHealth() {
    return providers.health();
  }

  public LiveHub events() {
    return live.hub();
  }

  public Future<Void> close() {
    Future<Void> chain = Future.succeededFuture();
    for (int i = modules.size() - 1; i >= 0; i--) {
      Module module = modules.get(i);
      chain = chain.compose(v -> module.close());
    }
    Vertx vertx = foundation.vertx();
    return chain
        .compose(v -> vertx.undeploy(deploymentId))
        .compose(v -> foundation.ledger().flush())
        .andThen(v -> live.metrics().close())
        .compose(v -> foundation.upstream().close())
        .compose(v -> foundation.database().close());
  }
}
