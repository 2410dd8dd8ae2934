package io.kimiproxy.core.shared;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * One channel's subscription on a connection of its own. When the connection ends (Redis
 * restarted, the network cut) it connects and subscribes again, waiting a little longer each time
 * (up to 5 s); what was published meanwhile is not replayed: pub/sub keeps nothing.
 */
public final class RedisSubscription {
  private static final Logger LOG = Logger.getLogger(RedisSubscription.class.getName());
  private static final long FIRST_RETRY_MS = 100;
  private static final long LAST_RETRY_MS = 5_000;

  private final Vertx vertx;
  private final Redis client;
  private final String channel;
  private final Consumer<String> onMessage;
  private final long timeoutMs;
  private RedisConnection connection; // guarded by this
  private long retryMs = FIRST_RETRY_MS; // guarded by this
  private boolean closed; // guarded by this

  RedisSubscription(Vertx vertx, Redis client, String channel, Consumer<String> onMessage, long timeoutMs) {
    this.vertx = vertx;
    this.client = client;
    this.channel = channel;
    this.onMessage = onMessage;
    this.timeoutMs = timeoutMs;
  }

  void start() {
    client.connect().timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .compose(conn -> {
          conn.handler(this::received);
          conn.exceptionHandler(e -> lost(conn));
          conn.endHandler(v -> lost(conn));
          return conn.send(Request.cmd(Command.SUBSCRIBE).arg(channel)).timeout(timeoutMs, TimeUnit.MILLISECONDS)
              .map(conn);
        })
        .onSuccess(this::subscribed)
        .onFailure(e -> retryLater());
  }

  private synchronized void subscribed(RedisConnection conn) {
    if (closed) {
      conn.close();
      return;
    }
    if (retryMs > FIRST_RETRY_MS) LOG.info("subscribed again to Redis channel " + channel);
    connection = conn;
    retryMs = FIRST_RETRY_MS;
  }

  /** A message arrives as ["message", channel, payload] (RESP2) or as a push of the same (RESP3). */
  private void received(Response response) {
    if (response != null && response.size() == 3 && "message".equals(String.valueOf(response.get(0)))) {
      onMessage.accept(response.get(2).toString());
    }
  }

  private synchronized void lost(RedisConnection conn) {
    if (conn != connection) return;
    connection = null;
    conn.close();
    retryLater();
  }

  private synchronized void retryLater() {
    if (closed) return;
    long delay = retryMs;
    retryMs = Math.min(LAST_RETRY_MS, retryMs * 2);
    vertx.setTimer(delay, id -> start());
  }

  public synchronized Future<Void> close() {
    closed = true;
    if (connection != null) connection.close();
    return client.close();
  }
}
