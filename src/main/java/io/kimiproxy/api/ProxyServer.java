package io.kimiproxy.api;

import io.kimiproxy.api.chat.ChatPipeline;
import io.kimiproxy.api.http.ApiRouter;
import io.kimiproxy.api.routes.ExportRoutes;
import io.kimiproxy.api.routes.LedgerRoutes;
import io.kimiproxy.api.routes.ModelRoutes;
import io.kimiproxy.api.security.RequestGuard;
import io.kimiproxy.config.ProxyConfig;
import io.kimiproxy.core.db.Database;
import io.kimiproxy.core.db.SqliteLedgerStore;
import io.kimiproxy.core.events.EventSink;
import io.kimiproxy.core.ledger.LedgerStore;
import io.kimiproxy.core.ledger.LedgerWriter;
import io.kimiproxy.core.tokens.TokenCounter;
import io.kimiproxy.core.util.SecretScrubber;
import io.kimiproxy.proxy.routing.ModelResolver;
import io.kimiproxy.proxy.upstream.UpstreamClient;
import io.kimiproxy.proxy.adapters.WireAdapters;
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
  private final HttpVerticle verticle;
  private final String deploymentId;

  private ProxyServer(Vertx vertx, Database database, LedgerWriter ledger, UpstreamClient upstream,
                      HttpVerticle verticle, String deploymentId) {
    this.vertx = vertx;
    this.database = database;
    this.ledger = ledger;
    this.upstream = upstream;
    this.verticle = verticle;
    this.deploymentId = deploymentId;
  }

  public static Future<ProxyServer> start(Vertx vertx, ProxyConfig config) {
    TokenCounter tokens = new TokenCounter(TOKEN_CACHE_ENTRIES);
    // The vocabularies load on a worker while the database opens, instead of blocking the event
    // loop for a second or more at the first request. Should this fail, the first count tries again.
    Future<Void> vocabularies = vertx.<Void>executeBlocking(() -> {
      tokens.preload();
      return null;
    }, false).recover(e -> {
      LOG.warning("token vocabularies not preloaded: " + e.getMessage());
      return Future.succeededFuture();
    });
    return Future.all(Database.open(vertx, config.databaseFile()), vocabularies).compose(opened -> {
      Database database = opened.resultAt(0);
      LedgerStore store = new SqliteLedgerStore(database.pool());
      LedgerWriter ledger = new LedgerWriter(vertx, store, LEDGER_FLUSH_MS, LEDGER_MAX_QUEUED);
      UpstreamClient upstream = new UpstreamClient(vertx);
      SecretScrubber scrubber = new SecretScrubber(config.secrets());
      ChatPipeline chat = new ChatPipeline(vertx, new ModelResolver(config), new WireAdapters(), upstream,
          tokens, ledger, EventSink.NONE, scrubber);
      HttpVerticle verticle = new HttpVerticle(config.server().host(), config.server().port(),
          () -> routes(vertx, config, chat, store, ledger));
      return vertx.deployVerticle(verticle)
          .map(id -> new ProxyServer(vertx, database, ledger, upstream, verticle, id))
          .onSuccess(server -> LOG.info("Kimi Proxy listening on http://" + config.server().host() + ":"
              + server.port() + " (" + config.models().size() + " models, " + config.providers().size()
              + " providers, database " + config.databaseFile() + ")"))
          .onFailure(e -> database.close());
    });
  }

  private static Router routes(Vertx vertx, ProxyConfig config, ChatPipeline chat, LedgerStore store, LedgerWriter ledger) {
    long maxBody = config.server().maxBodyBytes();
    Router router = ApiRouter.create(vertx, maxBody);
    router.route().handler(new RequestGuard(config.server()));
    for (String path : new String[] {"/v1/chat/completions", "/chat/completions"}) {
      router.post(path).handler(ApiRouter.bodies(maxBody)).handler(chat::handle);
    }
    new ModelRoutes(config).mount(router);
    new LedgerRoutes(store, ledger).mount(router);
    new ExportRoutes(store, ledger).mount(router);
    return router;
  }

  public int port() {
    return verticle.actualPort();
  }

  public LedgerWriter ledger() {
    return ledger;
  }

  public Future<Void> close() {
    return vertx.undeploy(deploymentId)
        .compose(v -> ledger.flush())
        .compose(v -> upstream.close())
        .compose(v -> database.close());
  }
}
