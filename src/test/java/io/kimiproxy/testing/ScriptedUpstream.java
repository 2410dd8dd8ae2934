package io.kimiproxy.testing;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.CompletableFuture;

/**
 * A provider played by a plain Vert.x HTTP server on its own event loop, for what WireMock cannot
 * script: a stream that breaks after some events, or one that never ends. It also notices when the
 * proxy hangs up on it.
 */
public final class ScriptedUpstream implements AutoCloseable {
  private final Vertx vertx;
  private final HttpServer server;
  private final CompletableFuture<Void> connectionClosed;

  private ScriptedUpstream(Vertx vertx, HttpServer server, CompletableFuture<Void> connectionClosed) {
    this.vertx = vertx;
    this.server = server;
    this.connectionClosed = connectionClosed;
  }

  /** @param script answers each request; it runs on the upstream's event loop */
  public static ScriptedUpstream start(Handler<HttpServerRequest> script) {
    Vertx vertx = TestVertx.create();
    CompletableFuture<Void> closed = new CompletableFuture<>();
    HttpServer server = TestProxy.await(vertx.createHttpServer()
        .requestHandler(request -> {
          request.connection().closeHandler(v -> closed.complete(null));
          script.handle(request);
        })
        .listen(0, "127.0.0.1"));
    return new ScriptedUpstream(vertx, server, closed);
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The base URL to configure for the provider. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  /** Completes when a connection the proxy opened to this server is closed. */
  public CompletableFuture<Void> connectionClosed() {
    return connectionClosed;
  }

  /** Starts an SSE answer: status, headers and a chunked body. */
  public static void beginStream(HttpServerRequest request) {
    request.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
  }

  @Override
  public void close() {
    TestProxy.await(vertx.close());
  }
}
