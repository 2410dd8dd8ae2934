package io.kimiproxy.features.live;

import io.kimiproxy.core.http.ErrorReplies;
import io.kimiproxy.api.security.RequestGuard;
import io.kimiproxy.core.error.ProxyError;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.logging.Logger;

/**
 * The dashboard: its page at {@code /} and its live feed at {@code /ws}. The page's files come
 * from the folder {@code static} of the working directory when there is one (the repository, for
 * {@code make run}), else from the jar, where the build packs the same folder.
 */
public final class DashboardRoutes {
  private static final Logger LOG = Logger.getLogger(DashboardRoutes.class.getName());

  private final LiveHub hub;

  public DashboardRoutes(LiveHub hub) {
    this.hub = hub;
  }

  public void mount(Router router) {
    router.get(RequestGuard.WEBSOCKET_PATH).handler(this::upgrade);
    // The page is small and changes with the proxy: always revalidate rather than serve a stale copy.
    router.getWithRegex("/|" + RequestGuard.PAGE_FILES).handler(ctx -> {
      ctx.response().putHeader("Cache-Control", "no-cache");
      ctx.next();
    }).handler(StaticHandler.create("static").setCachingEnabled(false).setDirectoryListing(false));
  }

  private void upgrade(RoutingContext ctx) {
    if (!ctx.request().canUpgradeToWebSocket()) {
      ErrorReplies.send(ctx.response(), ProxyError.of(426, "invalid_request_error", "upgrade_required",
          RequestGuard.WEBSOCKET_PATH + " is the dashboard's WebSocket: connect with a WebSocket client."));
      return;
    }
    ctx.request().toWebSocket()
        .onSuccess(hub::accept)
        .onFailure(e -> LOG.fine("dashboard WebSocket handshake failed: " + e.getMessage()));
  }
}
