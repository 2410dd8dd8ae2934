package io.kimiproxy.features.live;

import io.kimiproxy.core.http.SecurityHeaders;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard's page and files, from the jar (its {@code static/} resources) and from nowhere
 * else: a {@code static} folder in whatever directory the proxy was started from is not the
 * proxy's and must not be served as its page, with the page's rights. Each file is read once, on
 * a worker, and kept: there are a handful, all small, and only those the jar holds.
 */
final class DashboardFiles implements Handler<RoutingContext> {
  private static final String ROOT = "static/";

  private final Map<String, Buffer> loaded = new ConcurrentHashMap<>();

  /** Only for paths of {@link DashboardRoutes#PAGE_FILES} (or "/"): a name, no folders. */
  @Override
  public void handle(RoutingContext ctx) {
    String path = ctx.request().path();
    String name = path.equals("/") ? "index.html" : path.substring(1);
    Buffer file = loaded.get(name);
    Future<Buffer> content = file != null ? Future.succeededFuture(file) : ctx.vertx().executeBlocking(() -> read(name), false);
    content.onFailure(ctx::fail).onSuccess(bytes -> {
      if (bytes == null) {
        ctx.next(); // not in the jar: the router's 404
        return;
      }
      loaded.putIfAbsent(name, bytes);
      SecurityHeaders.applyToPage(ctx.response());
      // The page is small and changes with the proxy: always revalidate rather than use a stale copy.
      ctx.response().putHeader("Cache-Control", "no-cache").putHeader("Content-Type", contentType(name)).end(bytes);
    });
  }

  private static Buffer read(String name) throws IOException {
    try (InputStream in = DashboardFiles.class.getClassLoader().getResourceAsStream(ROOT + name)) {
      return in == null ? null : Buffer.buffer(in.readAllBytes());
    }
  }

  private static String contentType(String name) {
    if (name.endsWith(".html")) return "text/html; charset=utf-8";
    if (name.endsWith(".css")) return "text/css; charset=utf-8";
    return "text/javascript; charset=utf-8";
  }
}
