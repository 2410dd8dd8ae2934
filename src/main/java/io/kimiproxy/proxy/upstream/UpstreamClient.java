package io.kimiproxy.proxy.upstream;

import io.kimiproxy.config.ProviderConfig;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.proxy.wire.ProbeCall;
import io.kimiproxy.proxy.wire.UpstreamCall;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * All network I/O to providers goes through here: one keep-alive connection pool per provider
 * (HTTP/2 through ALPN where the provider offers it), deadlines per call, cancellation.
 */
public final class UpstreamClient {
  private final Vertx vertx;
  private final Map<String, HttpClientAgent> clients = new ConcurrentHashMap<>();

  public UpstreamClient(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Sends a call; completes with the exchange once the response head has arrived (the body is
   * then read by the caller, stream or whole). Fails with the timeout or connection error. The
   * call ends by the request's deadline at the latest, connection included.
   */
  public Future<UpstreamExchange> send(ProviderConfig provider, UpstreamCall call, Deadline deadline) {
    if (deadline.passed()) return Future.failedFuture(ProxyError.upstreamTimeout(provider.name(), deadline.describe()));
    URI base = provider.baseUrl();
    boolean ssl = "https".equals(base.getScheme());
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setHost(base.getHost())
        .setPort(base.getPort() > 0 ? base.getPort() : ssl ? 443 : 80)
        .setSsl(ssl)
        .setURI(call.pathAndQuery())
        .setHeaders(call.headers())
        .setConnectTimeout(Math.min(provider.timeouts().connectMs(), deadline.remainingMs()));
    return client(provider).request(options).compose(request -> {
      UpstreamExchange exchange = new UpstreamExchange(vertx, request, provider.timeouts(), deadline, provider.name());
      return request.send(call.body())
          .map(response -> {
            response.pause(); // the reader resumes once its handlers are in place
            exchange.responded(response);
            return exchange;
          })
          .recover(e -> {
            exchange.finish();
            return Future.failedFuture(exchange.failure(e));
          });
    }, e -> Future.failedFuture(new UpstreamConnectFailure(provider.name(), e).asError()));
  }

  /**
   * Opens a fresh connection and makes one cheap authenticated GET on it, timing the connection and
   * the first byte separately (a pooled connection would hide the connect time).
   */
  public Future<ProbeResult> probe(ProviderConfig provider, ProbeCall call) {
    URI base = provider.baseUrl();
    boolean ssl = "https".equals(base.getScheme());
    long start = System.nanoTime();
    HttpConnectOptions connect = new HttpConnectOptions().setHost(base.getHost())
        .setPort(base.getPort() > 0 ? base.getPort() : ssl ? 443 : 80).setSsl(ssl)
        .setConnectTimeout(provider.timeouts().connectMs());
    return client(provider).connect(connect).compose(connection -> {
      double connectMs = (System.nanoTime() - start) / 1e6;
      long sent = System.nanoTime();
      return connection.request(new RequestOptions().setMethod(HttpMethod.GET).setURI(call.path())
              .setHeaders(call.headers()).setIdleTimeout(provider.timeouts().firstByteMs()))
          .compose(request -> request.send())
          .compose(response -> {
            double firstByteMs = (System.nanoTime() - sent) / 1e6;
            return response.body().map(body -> new ProbeResult(provider.name(), true, response.statusCode(),
                connectMs, firstByteMs, response.statusCode() / 100 == 2 ? null : "HTTP " + response.statusCode()));
          })
          .eventually(connection::close);
    }).recover(e -> Future.succeededFuture(new ProbeResult(provider.name(), false, null, null, null,
        e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())));
  }

  public Future<Void> close() {
    return Future.all(clients.values().stream().map(HttpClientAgent::close).toList()).mapEmpty();
  }

  private HttpClientAgent client(ProviderConfig provider) {
    // Keyed by address too: after a configuration reload a provider may live somewhere else.
    return clients.computeIfAbsent(provider.name() + "|" + provider.baseUrl(),
        key -> vertx.createHttpClient(options(provider), pool(provider)));
  }

  /**
   * Keep-alive connections; over TLS, HTTP/2 offered first through ALPN with HTTP/1.1 as the
   * fallback for servers without it. Plain http (Ollama, vLLM, llama.cpp on localhost) stays
   * HTTP/1.1: no cleartext upgrade dance with servers that rarely speak h2c.
   */
  static HttpClientOptions options(ProviderConfig provider) {
    HttpClientOptions options = new HttpClientOptions()
        .setKeepAlive(true)
        .setKeepAliveTimeout(60)
        .setConnectTimeout((int) provider.timeouts().connectMs())
        .setDecompressionSupported(true)
        .setTcpNoDelay(true)
        .setName("upstream-" + provider.name());
    if ("https".equals(provider.baseUrl().getScheme())) {
      options.setSsl(true).setUseAlpn(true).setProtocolVersion(HttpVersion.HTTP_2)
          .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1));
    }
    return options;
  }

  /** Up to max_connections HTTP/1.1 connections; a few HTTP/2 connections, each multiplexing many calls. */
  static PoolOptions pool(ProviderConfig provider) {
    return new PoolOptions().setHttp1MaxSize(provider.maxConnections()).setHttp2MaxSize(4);
  }
}
