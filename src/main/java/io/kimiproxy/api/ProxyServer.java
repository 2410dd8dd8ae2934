package io.kimiproxy.api;

import io.kimiproxy.api.chat.ChatPipeline;
import io.kimiproxy.api.chat.ContextSteps;
import io.kimiproxy.api.http.ApiRouter;
import io.kimiproxy.api.routes.CompactionRoutes;
import io.kimiproxy.api.routes.ContextRoutes;
import io.kimiproxy.api.routes.DashboardRoutes;
import io.kimiproxy.api.routes.ExportRoutes;
import io.kimiproxy.api.routes.LedgerRoutes;
import io.kimiproxy.api.routes.MetricsRoutes;
import io.kimiproxy.api.routes.ModelRoutes;
import io.kimiproxy.api.routes.ProviderRoutes;
import io.kimiproxy.api.routes.SanitizerRoutes;
import io.kimiproxy.api.security.RequestGuard;
import io.kimiproxy.config.ProxyConfig;
import io.kimiproxy.config.ServerConfig;
import io.kimiproxy.core.context.ContextStore;
import io.kimiproxy.core.db.Database;
import io.kimiproxy.core.db.SqliteCompactionStore;
import io.kimiproxy.core.db.SqliteContextStore;
import io.kimiproxy.core.db.SqliteSanitizerStore;
import io.kimiproxy.core.db.SqliteLedgerStore;
import io.kimiproxy.core.events.EventSink;
import io.kimiproxy.core.ledger.LedgerStore;
import io.kimiproxy.core.ledger.LedgerWriter;
import io.kimiproxy.core.tokens.TokenCounter;
import io.kimiproxy.core.sanitizer.SanitizerStore;
import io.kimiproxy.core.util.InternalCalls;
import io.kimiproxy.core.util.SecretScrubber;
import io.kimiproxy.features.compaction.Compactor;
import io.kimiproxy.features.compaction.LoopbackSummarizer;
import io.kimiproxy.features.context.ContextMapper;
import io.kimiproxy.features.context.ContextModels;
import io.kimiproxy.features.context.PhaseTracker;
import io.kimiproxy.features.context.PromptWork;
import io.kimiproxy.features.sanitizer.Sanitizer;
import io.kimiproxy.features.sanitizer.SecretRedactor;
import io.kimiproxy.proxy.resilience.ProviderHealthRegistry;
import io.kimiproxy.proxy.routing.ModelResolver;
import io.kimiproxy.proxy.upstream.UpstreamClient;
import io.kimiproxy.proxy.adapters.WireAdapters;
import io.kimiproxy.services.live.LiveHub;
import io.kimiproxy.services.live.LiveSnapshot;
import io.kimiproxy.services.metrics.ProxyMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.util.logging.Logger;

/**
 * Wires the floors together and starts listening. Everything the proxy holds is created here, once,
 * and closed in reverse by {@link #close()}.
 */
public final class ProxyServer {
  private static final Logger LOG = Logger.getLogger(ProxyServer.class.getName());
  private static final long LEDGER_FLUSH_MS = 25;
  private static final int LEDGER_MAX_QUEUED = 100_000;
  private static final int TOKEN_CACHE_ENTRIES = 50_000;

  private final Vertx vertx;
  private final Database database;
  private final LedgerWriter ledger;
  private final UpstreamClient upstream;
  private final Live live;
  private final ProviderHealthRegistry health;
  private final HttpVerticle verticle;
  private final String deploymentId;

  /** The dashboard's side of the proxy: its event hub and the metrics. */
  private record Live(LiveHub hub, ProxyMetrics metrics) {}

  private ProxyServer(Vertx vertx, Database database, LedgerWriter ledger, UpstreamClient upstream, Live live,
                      ProviderHealthRegistry health, HttpVerticle verticle, String deploymentId) {
    this.vertx = vertx;
    this.database = database;
    this.ledger = ledger;
    this.upstream = upstream;
    this.live = live;
    this.health = health;
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
        .compose(loaded -> Database.open(vertx, config.databaseFile())).compose(database -> {
      LedgerStore store = new SqliteLedgerStore(database.pool());
      LedgerWriter ledger = new LedgerWriter(vertx, store, LEDGER_FLUSH_MS, LEDGER_MAX_QUEUED);
      UpstreamClient upstream = new UpstreamClient(vertx);
      SecretScrubber scrubber = new SecretScrubber(config.secrets());
      Live live = live(vertx, config, store, ledger, metrics);
      EventSink events = live.hub();
      ProviderHealthRegistry health = new ProviderHealthRegistry(vertx, config, events);
      config.providers().keySet().forEach(name -> metrics.registerBreaker(name, () -> health.of(name).breaker()));
      ContextStore contextStore = new SqliteContextStore(database.pool());
      SanitizerStore sanitizerStore = new SqliteSanitizerStore(database.pool());
      Sanitizer sanitizer = new Sanitizer(config.sanitizer(), new SecretRedactor(config.secrets()), tokens);
      PromptWork work = new PromptWork(vertx, tokens);
      InternalCalls internal = InternalCalls.random();
      HttpVerticle[] listening = new HttpVerticle[1];
      Compactor compactor = new Compactor(config.compaction(), new SqliteCompactionStore(database.pool()),
          new LoopbackSummarizer(vertx, loopbackHost(config.server().host()), () -> listening[0].actualPort(), internal),
          work, events, tokens);
      ContextSteps context = new ContextSteps(work, tokens, new ContextModels(config.models(), config.compaction()),
          new PhaseTracker(config.context(), contextStore, events), new ContextMapper(config.context()),
          contextStore, events, sanitizer, sanitizerStore, compactor);
      ChatPipeline chat = new ChatPipeline(new ModelResolver(config), new WireAdapters(), upstream,
          tokens, ledger, events, scrubber, context, health);
      HttpVerticle verticle = new HttpVerticle(config.server().host(), config.server().port(),
          () -> routes(vertx, config, internal, chat, store, ledger, live, contextStore, sanitizer, sanitizerStore, compactor,
              health));
      listening[0] = verticle;
      return vertx.deployVerticle(verticle)
          .map(id -> new ProxyServer(vertx, database, ledger, upstream, live, health, verticle, id))
          .onSuccess(server -> LOG.info("Kimi Proxy listening on http://" + config.server().host() + ":"
              + server.port() + " (" + config.models().size() + " models, " + config.providers().size()
              + " providers, database " + config.databaseFile() + ")"))
          .onFailure(e -> {
            live.hub().close();
            database.close();
          });
    }).onFailure(e -> metrics.close());
  }

  private static Live live(Vertx vertx, ProxyConfig config, LedgerStore store, LedgerWriter ledger, ProxyMetrics metrics) {
    metrics.watchLedger(ledger);
    LiveHub hub = new LiveHub(vertx, new LiveSnapshot(store, ledger, config));
    metrics.watchLiveClients(hub::clientCount, hub::droppedEvents);
    return new Live(hub, metrics);
  }

  private static Router routes(Vertx vertx, ProxyConfig config, InternalCalls internal, ChatPipeline chat,
                               LedgerStore store, LedgerWriter ledger, Live live, ContextStore contextStore,
                               Sanitizer sanitizer, SanitizerStore sanitizerStore, Compactor compactor,
                               ProviderHealthRegistry health) {
    long maxBody = config.server().maxBodyBytes();
    Router router = ApiRouter.create(vertx, maxBody);
    router.route().handler(new RequestGuard(config.server(), internal));
    for (String path : new String[] {"/v1/chat/completions", "/chat/completions"}) {
      router.post(path).handler(ApiRouter.bodies(maxBody)).handler(chat::handle);
    }
    new ModelRoutes(config).mount(router);
    new LedgerRoutes(store, ledger).mount(router);
    new ExportRoutes(store, ledger).mount(router);
    new ProviderRoutes(config, health).mount(router);
    new MetricsRoutes(live.metrics()).mount(router);
    new DashboardRoutes(live.hub()).mount(router);
    new ContextRoutes(contextStore).mount(router);
    new SanitizerRoutes(sanitizer, sanitizerStore).mount(router);
    new CompactionRoutes(compactor, contextStore).mount(router);
    return router;
  }

  /** Where the proxy reaches itself: loopback unless it listens on one specific other address. */
  private static String loopbackHost(String host) {
    return ServerConfig.isLoopback(host) || host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
  }

  public int port() {
    return verticle.actualPort();
  }

  public LedgerWriter ledger() {
    return ledger;
  }

  /** Circuit breakers and recent latency of every provider (and {@code resetBreakers()} for recovery). */
  public ProviderHealthRegistry providerHealth() {
    return health;
  }

  /** Where features publish their events for the dashboard (and where it subscribes). */
  public LiveHub events() {
    return live.hub();
  }

  public Future<Void> close() {
    return live.hub().close()
        .compose(v -> vertx.undeploy(deploymentId))
        .compose(v -> ledger.flush())
        .andThen(v -> live.metrics().close())
        .compose(v -> upstream.close())
        .compose(v -> database.close());
  }
}
