package io.kimiproxy.core.shared;

import io.kimiproxy.core.util.Secret;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The one connection of an instance to the team's Redis, for everything shared: limits, budgets,
 * breakers, the live feed. Every call has a deadline, so Redis gone or stuck never holds a request
 * longer than {@code timeoutMs}. While Redis is away one call at a time tries it and the others
 * fail at once (no connection attempt, no wait per request); the first that succeeds brings it
 * back for all. Listeners hear when Redis goes away and when it is back.
 */
public final class RedisLink {
  private static final Logger LOG = Logger.getLogger(RedisLink.class.getName());
  private static final int POOL_SIZE = 16;
  private static final int POOL_WAITING = 1_000;

  private final Vertx vertx;
  private final Redis redis;
  private final RedisOptions options;
  private final long timeoutMs;
  private final String instanceId = UUID.randomUUID().toString();
  private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean up = true;
  private final AtomicBoolean probing = new AtomicBoolean();

  public RedisLink(Vertx vertx, Secret url, long timeoutMs) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
    // RESP2 without the HELLO round trip: a new connection's first command is not slowed by it.
    this.options = new RedisOptions().setConnectionString(url.reveal()).setProtocolNegotiation(false)
        .setMaxPoolSize(POOL_SIZE).setMaxPoolWaiting(POOL_WAITING)
        .setNetClientOptions(new NetClientOptions().setConnectTimeout((int) Math.max(100, timeoutMs)));
    this.redis = Redis.createClient(vertx, options);
  }

  /** Tells this instance's messages from the others' on the shared channels. */
  public String instanceId() {
    return instanceId;
  }

  public Vertx vertx() {
    return vertx;
  }

  public boolean up() {
    return up;
  }

  /**
   * Calls {@code listener} with false when Redis becomes unreachable, with true when it answers
   * again; until the returned action is run.
   */
  public Runnable onStateChange(Consumer<Boolean> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  public Future<Response> send(Request request) {
    boolean probe = !up;
    if (probe && !probing.compareAndSet(false, true)) {
      return Future.failedFuture(new SharedStateUnavailable("Redis is unreachable"));
    }
    return redis.send(request).timeout(timeoutMs, TimeUnit.MILLISECONDS).andThen(done -> {
      if (probe) probing.set(false);
      if (done.succeeded() || done.cause() instanceof Response) {
        reachable();
      } else {
        unreachable(done.cause());
      }
    });
  }

  /** Runs a script atomically: by its hash, or in full when Redis does not know it yet. */
  public Future<Response> eval(RedisScript script, List<String> keys, List<String> args) {
    return send(scriptRequest(Command.EVALSHA, script.sha(), keys, args)).recover(failure ->
        failure instanceof Response && String.valueOf(failure.getMessage()).startsWith("NOSCRIPT")
            ? send(scriptRequest(Command.EVAL, script.source(), keys, args))
            : Future.failedFuture(failure));
  }

  /** Opens a connection ahead of the first request (Redis away at start is not an error: it is an outage). */
  public Future<Void> warmUp() {
    return send(Request.cmd(Command.PING)).<Void>mapEmpty().otherwiseEmpty();
  }

  public Future<Void> publish(String channel, String message) {
    return send(Request.cmd(Command.PUBLISH).arg(channel).arg(message)).mapEmpty();
  }

  /**
   * Delivers every message published on {@code channel} (by any instance, this one included) to
   * {@code onMessage}, on a connection of its own, re-subscribing after Redis comes back.
   */
  public RedisSubscription subscribe(String channel, Consumer<String> onMessage) {
    RedisSubscription subscription = new RedisSubscription(vertx, Redis.createClient(vertx,
        new RedisOptions(options).setMaxPoolSize(1)), channel, onMessage, Math.max(timeoutMs, 1_000));
    subscription.start();
    return subscription;
  }

  public Future<Void> close() {
    return redis.close();
  }

  private static Request scriptRequest(Command command, String script, List<String> keys, List<String> args) {
    Request request = Request.cmd(command).arg(script).arg(keys.size());
    keys.forEach(request::arg);
    args.forEach(request::arg);
    return request;
  }

  private void reachable() {
    if (!up) {
      up = true;
      LOG.info("Redis answers again: shared state is back");
      listeners.forEach(l -> l.accept(true));
    }
  }

  private void unreachable(Throwable cause) {
    if (up) {
      up = false;
      LOG.warning("Redis is unreachable (" + cause + "): shared state unavailable");
      listeners.forEach(l -> l.accept(false));
    }
  }
}
