package io.kimiproxy.testing;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A dashboard WebSocket client for tests: collects every message the proxy sends on /ws. */
public final class LiveFeed implements AutoCloseable {
  private final BlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final WebSocket socket;

  private LiveFeed(HttpClient http, URI uri, String... protocols) {
    WebSocket.Builder builder = http.newWebSocketBuilder();
    if (protocols.length > 0) {
      String[] more = java.util.Arrays.copyOfRange(protocols, 1, protocols.length);
      builder.subprotocols(protocols[0], more);
    }
    socket = builder.buildAsync(uri, new Collector()).join();
  }

  /** Connects to {@code /ws} of the proxy (plus {@code query}, e.g. "?key=..."), with optional subprotocols. */
  public static LiveFeed connect(TestProxy proxy, String query, String... protocols) {
    return new LiveFeed(proxy.http(), URI.create(proxy.baseUrl().replace("http:", "ws:") + "/ws" + query), protocols);
  }

  public WebSocket socket() {
    return socket;
  }

  /** The next message of this type (others are skipped), or fails after 10 s. */
  public JsonObject next(String type) {
    return next(m -> type.equals(m.getString("type")), type);
  }

  public JsonObject next(Predicate<JsonObject> wanted, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    try {
      while (System.nanoTime() < deadline) {
        JsonObject message = messages.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (message != null && wanted.test(message)) return message;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new AssertionError("no '" + what + "' message within 10 s");
  }

  /** The close code the server sent, waiting up to {@code seconds}. */
  public int closeCode(int seconds) throws Exception {
    return closed.get(seconds, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
  }

  private final class Collector implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        messages.add(new JsonObject(partial.toString()));
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.completeExceptionally(error);
    }
  }
}
