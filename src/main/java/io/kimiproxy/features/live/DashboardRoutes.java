package io.kimiproxy.features.live;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.http.ErrorReplies;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.logging.Logger;

/** The dashboard: its page at {@code /} (files from the jar only, see {@link DashboardFiles}) and its live feed at {@code /ws}. */
public final class DashboardRoutes {
  private static final Logger LOG = Logger.getLogger(DashboardRoutes.class.getName());
  public static final String WEBSOCKET_PATH = "/ws";
  /** The dashboard's files: code and styles, no data. */
  public static final String PAGE_FILES = "/[A-Za-z0-9_-]+\\.(html|js|css)";

  private final LiveHub hub;
  private final DashboardFiles files = new DashboardFiles();

  public DashboardRoutes(LiveHub hub) {
    this.hub = hub;
  }

  public void mount(Router router) {
    router.get(WEBSOCKET_PATH).handler(this::upgrade);
    router.getWithRegex("/|" + PAGE_FILES).handler(files);
  }

  private void upgrade(RoutingContext ctx) {
    if (!ctx.request().canUpgradeToWebSocket()) {
      ErrorReplies.send(ctx.response(), ProxyError.of(426, "invalid_request_error", "upgrade_required",
          WEBSOCKET_PATH + " is the dashboard's WebSocket: connect with a WebSocket client."));
      return;
    }
    ctx.request().toWebSocket()
        .onSuccess(hub::accept)
        .onFailure(e -> LOG.fine("dashboard WebSocket handshake failed: " + e.getMessage()));
  }
}
