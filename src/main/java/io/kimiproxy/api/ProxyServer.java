package io.kimiproxy.api;

import io.kimiproxy.api.chat.ChatPipeline;
import io.kimiproxy.api.chat.ChatChain;
import io.kimiproxy.api.wiring.InboundFormats;
import io.kimiproxy.api.wiring.MemoryBudget;
import io.kimiproxy.features.cache.CacheStep;
import io.kimiproxy.features.clients.ClientStep;
import io.kimiproxy.features.guardrails.GuardrailStep;
import io.kimiproxy.proxy.chain.RouteStep;
import io.kimiproxy.api.http.ApiRouter;
import io.kimiproxy.core.http.RequestBodies;
import io.kimiproxy.api.routes.ExportRoutes;
import io.kimiproxy.features.guardrails.GuardrailRoutes;
import io.kimiproxy.api.routes.LedgerRoutes;
import io.kimiproxy.api.routes.MessagesRoutes;
import io.kimiproxy.api.routes.ModelRoutes;
import io.kimiproxy.api.security.RequestGuard;
import io.kimiproxy.api.wiring.AgentModule;
import io.kimiproxy.api.wiring.AlertsModule;
import io.kimiproxy.api.wiring.ClientsModule;
import io.kimiproxy.api.wiring.ContextModule;
import io.kimiproxy.api.wiring.Foundation;
import io.kimiproxy.api.wiring.GovernanceModule;
import io.kimiproxy.api.wiring.GuardrailsModule;
import io.kimiproxy.api.wiring.LiveModule;
import io.kimiproxy.api.wiring.Module;
import io.kimiproxy.api.wiring.ObservabilityModule;
import io.kimiproxy.api.wiring.ProvidersModule;
import io.kimiproxy.api.wiring.RoutingModule;
import io.kimiproxy.api.wiring.SharedModule;
import io.kimiproxy.config.ProxyConfig;
import io.kimiproxy.core.ledger.LedgerWriter;
import io.kimiproxy.core.tokens.PromptWork;
import io.kimiproxy.core.tokens.TokenCounter;
import io.kimiproxy.proxy.adapters.WireAdapters;
import io.kimiproxy.proxy.inbound.ModelNames;
import io.kimiproxy.proxy.inbound.messages.MessagesFormat;
import io.kimiproxy.proxy.resilience.ProviderHealthRegistry;
import io.kimiproxy.proxy.routing.ModelResolver;
import io.kimiproxy.features.live.LiveHub;
import io.kimiproxy.features.metrics.ProxyMetrics;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * Starts the proxy: the shared {@link Foundation}, one {@link Module} per feature, the chat
 * pipeline, and the HTTP server; {@link #close()} takes it down in reverse order.
 *
 * <p>What a configuration reload may change (providers, models, context, governance) lives in a
 * {@link Generation}; the server hands every request to the current one, so a reload builds the
 * next generation and swaps it in while requests in flight finish on the objects they started with.
 */
public final class ProxyServer implements Generations {
  private static final Logger LOG = Logger.getLogger(ProxyServer.class.getName());
  private static final AtomicInteger RANDOM_PORTS = new AtomicInteger();

  private final Foundation foundation;
  private final LiveModule live;
  private final ProvidersModule providers;
  private final ClientsModule clients;
  private final GuardrailsModule guardrails;
  private final AlertsModule alerts;
  private final RoutingModule routing;
  private final List<Module> shared;
  private final ConfigReload reload;
  private final AtomicReference<Generation> current = new AtomicReference<>();
  private final InboundFormats formats;
  private final long startedAtMs = System.currentTimeMillis();
  /** Kept across reloads: the Responses passthrough remembers which provider issued each encrypted reasoning. */
  private final WireAdapters adapters = new WireAdapters();
  private HttpVerticle verticle;
  private String deploymentId;

  private ProxyServer(Foundation foundation, LiveModule live, ProvidersModule providers, ClientsModule clients,
                      GuardrailsModule guardrails, AgentModule agents, RoutingModule routing, AlertsModule alerts,
                      ObservabilityModule observability) {
    this.foundation = foundation;
    this.live = live;
    this.providers = providers;
    this.clients = clients;
    this.guardrails = guardrails;
    this.routing = routing;
    this.alerts = alerts;
    List<Module> modules = new ArrayList<>(List.of(live, observability, providers, clients, guardrails, agents, routing,
        alerts));
    SharedModule team = SharedModule.create(foundation, live.hub(), alerts.alerts());
    if (team != null) modules.add(team);
    this.shared = List.copyOf(modules);
    this.reload = new ConfigReload(this);
    this.formats = InboundFormats.create(foundation.memory());
  }

  public static Future<ProxyServer> start(Vertx vertx, ProxyConfig config) {
    // Made here, on the caller's thread: the registry and the JVM binders take most of a second to
    // load, which is not an event loop's to spend.
    ProxyMetrics metrics = new ProxyMetrics();
    MemoryBudget memory = MemoryBudget.ofHeap(Runtime.getRuntime().maxMemory());
    TokenCounter tokens = new TokenCounter(memory.tokenBytes());
    // Loading a vocabulary takes seconds: do it on a worker now, not on the event loop at the first request.
    // Building the modules and the routes is on workers too: the first time in a process it loads
    // hundreds of classes, most of a second on a loaded machine.
    return vertx.executeBlocking(tokens::preload, false)
        .compose(loaded -> Foundation.openStorage(vertx, config))
        .compose(storage -> vertx.executeBlocking(() -> {
          Foundation f = Foundation.create(vertx, config, storage, tokens, memory);
          LiveModule live = LiveModule.create(f, metrics);
          return new ProxyServer(f, live, ProvidersModule.create(f, live),
              ClientsModule.create(f, live.events()), GuardrailsModule.create(f, live.events()),
              AgentModule.create(f, live.events()), RoutingModule.create(f, live.events()),
              AlertsModule.create(f, live.events()), ObservabilityModule.create(f, live));
        }, false).onFailure(e -> storage.close()))
        .compose(server -> {
          Foundation f = server.foundation;
          // Shared modules start first: the routes of the first generation mount what they started.
          return Future.all(server.shared.stream().map(Module::beforeListening).toList())
              .compose(v -> vertx.executeBlocking(() -> server.generation(f), false))
              .compose(first -> Future.all(first.modules().stream().map(Module::beforeListening).toList())
                  .compose(started -> server.listen(first)))
              .onFailure(e -> {
                server.live.close();
                f.storage().close();
              });
        })
        .onFailure(e -> metrics.close());
  }

  /**
   * One HTTP server per event loop, sharing the port, so every core serves requests. Port 0 asks
   * for a random port: Vert.x shares one random port among the servers that ask for the same
   * negative port, so each proxy in this process (tests start several) gets a number of its own.
   */
  private Future<ProxyServer> listen(Generation first) {
    current.set(first);
    ProxyConfig config = foundation.config();
    Handler<HttpServerRequest> routes = request -> current.get().router().handle(request);
    int port = config.server().port() == 0 ? RANDOM_PORTS.decrementAndGet() : config.server().port();
    int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
    List<HttpVerticle> servers = new CopyOnWriteArrayList<>();
    return foundation.vertx().deployVerticle(() -> {
          HttpVerticle server = new HttpVerticle(config.server().host(), port, routes);
          servers.add(server);
          return server;
        }, new DeploymentOptions().setInstances(loops))
        .map(id -> {
          deploymentId = id;
          verticle = servers.get(0);
          foundation.self().bind(port());
          LOG.info("Kimi Proxy listening on http://" + config.server().host() + ":" + port() + " ("
              + config.models().size() + " models, " + config.providers().size() + " providers, database "
              + foundation.storage().describe() + ", " + loops + " event loops)");
          return this;
        });
  }

  /** The modules a reload rebuilds, and the pipeline and routes over them and the shared ones. */
  @Override
  public Generation generation(Foundation f) {
    ContextModule context = ContextModule.create(f, live.events());
    providers.update(f.config());
    GovernanceModule governance = GovernanceModule.create(f, live.events(), alerts.alerts());
    governance.onReloadConfig(reload::reload);
    governance.onResetBreakers(() -> Future.succeededFuture(
        new JsonObject().put("reset", providers.health().resetBreakers())));
    ChatChain chain = ChatChain.of(new ClientStep(clients.monitor()), context.measure(),
        routing.step(f, providers.health(), context.measure()), context.sanitize(), context.compact(),
        context.overflow(), context.contextMap(), new RouteStep(new ModelResolver(f.config())),
        new GuardrailStep(guardrails.guardrails()), new CacheStep(governance.cache()),
        governance.spending());
    ChatPipeline chat = new ChatPipeline(chain, new ChatPipeline.Services(adapters, f.upstream(),
        providers.health(), f.tokens(), context.measure().work(), f.ledger(), live.events(), f.scrubber()));
    List<Module> own = List.of(context, governance);
    List<Module> all = new ArrayList<>(shared);
    all.addAll(own);
    return new Generation(f, own, routes(f, chat, all, startedAtMs));
  }

  private Router routes(Foundation f, ChatPipeline chat, List<Module> modules, long startedAtMs) {
    long maxBody = f.config().server().maxBodyBytes();
    MessagesRoutes messages = new MessagesRoutes(f.config(), new MessagesFormat(formats.messages(),
        new ModelNames(f.config(), f.config().inbound().anthropic())), new PromptWork(f.vertx(), f.tokens()));
    Router router = ApiRouter.create(f.vertx(), maxBody, messages::shapeErrors,
        new RequestGuard(f.config().server(), f.internal()));
    for (String path : new String[] {"/v1/chat/completions", "/chat/completions"}) {
      router.post(path).handler(RequestBodies.upTo(maxBody)).handler(ctx -> chat.handle(ctx, formats.chat()));
    }
    messages.mount(router, chat);
    for (String path : new String[] {"/v1/responses", "/responses"}) {
      router.post(path).handler(RequestBodies.upTo(maxBody)).handler(ctx -> chat.handle(ctx, formats.responses()));
    }
    new ModelRoutes(f.config(), startedAtMs).mount(router);
    new LedgerRoutes(f.store(), f.ledger()).mount(router);
    new ExportRoutes(f.store(), f.ledger()).mount(router);
    modules.forEach(m -> m.mount(router));
    return router;
  }

  @Override
  public Foundation foundation() {
    return current.get().foundation();
  }

  @Override
  public void swap(Generation next, long graceMs) {
    Generation old = current.getAndSet(next);
    foundation.vertx().setTimer(Math.max(1, graceMs), id -> old.modules().forEach(Module::close));
  }

  /** Circuit breakers and recent latency of every provider (and {@code resetBreakers()} for recovery). */
  public ProviderHealthRegistry providerHealth() {
    return providers.health();
  }

  public int port() {
    return verticle.actualPort();
  }

  public LedgerWriter ledger() {
    return foundation.ledger();
  }

  /** Where features publish their events for the dashboard (and where it subscribes). */

  public LiveHub events() {
    return live.hub();
  }

  public Future<Void> close() {
    List<Module> all = new ArrayList<>(shared);
    all.addAll(current.get().modules());
    Future<Void> chain = Future.succeededFuture();
    for (int i = all.size() - 1; i >= 0; i--) {
      Module module = all.get(i);
      chain = chain.compose(v -> module.close());
    }
    Vertx vertx = foundation.vertx();
    return chain
        .compose(v -> vertx.undeploy(deploymentId))
        .compose(v -> foundation.ledger().flush())
        .andThen(v -> live.metrics().close())
        .compose(v -> foundation.upstream().close())
        .compose(v -> foundation.storage().close());
  }
}
