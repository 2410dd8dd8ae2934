package io.kimiproxy.api;

import io.kimiproxy.api.http.InvalidRequests;
import io.kimiproxy.api.http.StrictFraming;
import io.kimiproxy.api.security.RequestGuard;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/** Listens on the configured address and hands every request to the current routes. */
final class HttpVerticle extends VerticleBase {
  private final String host;
  private final int port;
  private final Handler<HttpServerRequest> routes;
  private HttpServer server;

  HttpVerticle(String host, int port, Handler<HttpServerRequest> routes) {
    this.host = host;
    this.port = port;
    this.routes = routes;
  }

  @Override
  public Future<?> start() {
    HttpServerOptions options = new HttpServerOptions()
        .setTcpNoDelay(true)
        .setIdleTimeout(0)
        .setMaxHeaderSize(64 * 1024)
        .setWebSocketSubProtocols(List.of(RequestGuard.WEBSOCKET_PROTOCOL))
        .setHttp2ClearTextEnabled(false); // see StrictFraming
    return vertx.createHttpServer(options)
        .connectionHandler(connection -> StrictFraming.install(connection, options))
        .invalidRequestHandler(InvalidRequests::answer)
        .requestHandler(routes)
        .listen(port, host)
        .onSuccess(s -> server = s);
  }

  int actualPort() {
    return server.actualPort();
  }
}
