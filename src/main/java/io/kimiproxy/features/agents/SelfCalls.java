package io.kimiproxy.features.agents;

import io.kimiproxy.core.util.InternalCalls;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.function.IntSupplier;

/**
 * Posts a run's request to the proxy's own {@code /v1/chat/completions}, as an internal call of
 * kind "agent", so it takes the path of every client request: routing, limits, the ledger.
 * Vert.x core's client rather than the WebClient: a run's timeout must be able to reset the
 * request it has in flight, and only the core request object offers that.
 */
final class SelfCalls {
  static final String KIND = "agent";
  private static final String PATH = "/v1/chat/completions";

  /** What the proxy answered: its status, the ledger id of the request, and the body. */
  record Answer(int status, String requestId, Buffer body) {}

  /** One call in flight; {@link #cancel()} resets it whatever stage it has reached. */
  static final class Call {
    private volatile HttpClientRequest request;
    private volatile boolean cancelled;
    private Future<Answer> answer;

    Future<Answer> answer() {
      return answer;
    }

    void cancel() {
      cancelled = true;
      HttpClientRequest sent = request;
      if (sent != null) sent.reset();
    }

    private void attach(HttpClientRequest sent) {
      request = sent;
      if (cancelled) sent.reset(); // cancelled while the connection was being opened
    }
  }

  private final HttpClientAgent client;
  private final String host;
  private final IntSupplier port;
  private final InternalCalls internal;

  SelfCalls(Vertx vertx, String host, IntSupplier port, InternalCalls internal, int maxConnections) {
    this.client = vertx.createHttpClient(new HttpClientOptions().setName("kimi-proxy-agents").setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(maxConnections));
    this.host = host;
    this.port = port;
    this.internal = internal;
  }

  Call post(JsonObject body, String sessionId) {
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST).setHost(host).setPort(port.getAsInt()).setURI(PATH)
        .putHeader("Content-Type", "application/json")
        .putHeader("User-Agent", "kimi-proxy-agents")
        .putHeader(InternalCalls.TOKEN_HEADER, internal.token())
        .putHeader(InternalCalls.KIND_HEADER, KIND)
        .putHeader("X-Session-Id", sessionId);
    Call call = new Call();
    call.answer = client.request(options).compose(request -> {
      call.attach(request);
      return request.send(body.toBuffer())
          .compose(response -> response.body()
              .map(bytes -> new Answer(response.statusCode(), response.getHeader("X-Request-Id"), bytes)));
    });
    return call;
  }

  Future<Void> close() {
    return client.close();
  }
}
