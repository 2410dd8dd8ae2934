package io.kimiproxy.proxy.resilience;

import io.kimiproxy.config.ProviderConfig;
import io.kimiproxy.core.shared.RedisLink;
import io.kimiproxy.core.shared.RedisSubscription;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Breakers and cool-downs shared by a team's instances through Redis. What happens to one
 * instance's breaker (opened, closed) or to a provider's pause is said on a channel, for the
 * others to apply at once, and kept in a key that expires when it ends, for an instance starting
 * meanwhile to read. Every instance keeps deciding from its own memory: a request never waits on
 * Redis to learn whether a provider may be called.
 */
public final class RedisBreakers implements TeamBreakers {
  static final String CHANNEL = "kp:breakers";
  private static final String OPEN = "kp:breaker-open:";
  private static final String COOL = "kp:breaker-cool:";
  private static final Logger LOG = Logger.getLogger(RedisBreakers.class.getName());

  private final RedisLink redis;
  private final Map<String, SharedBreakerState> states = new ConcurrentHashMap<>();
  private RedisSubscription subscription;

  public RedisBreakers(RedisLink redis) {
    this.redis = redis;
  }

  /** The state of a provider's breaker on this instance, shared with the team. */
  public BreakerState state(ProviderConfig provider) {
    return states.computeIfAbsent(provider.name(),
        name -> new SharedBreakerState(name, new LocalBreakerState(provider.resilience()), this));
  }

  @Override
  public void opened(String provider, long probeAtMs) {
    share(OPEN, provider, probeAtMs, "open");
  }

  @Override
  public void closed(String provider) {
    redis.send(Request.cmd(Command.DEL).arg(OPEN + provider))
        .compose(v -> redis.publish(CHANNEL, message("closed", provider, 0)))
        .onFailure(e -> LOG.fine("closed breaker of " + provider + " not shared: " + e));
  }

  @Override
  public void cooledDown(String provider, long untilMs) {
    share(COOL, provider, untilMs, "cool");
  }

  private void share(String prefix, String provider, long untilMs, String kind) {
    long ttl = untilMs - System.currentTimeMillis();
    if (ttl <= 0) return;
    redis.send(Request.cmd(Command.SET).arg(prefix + provider).arg(Long.toString(untilMs)).arg("PX").arg(ttl))
        .compose(v -> redis.publish(CHANNEL, message(kind, provider, untilMs)))
        .onFailure(e -> LOG.fine(kind + " of " + provider + " not shared: " + e));
  }

  /** Applies what the team says from now on, and what it said already (the breakers open now, the pauses). */
  public Future<Void> listen() {
    subscription = redis.subscribe(CHANNEL, this::received);
    List<Future<?>> reads = new ArrayList<>();
    states.forEach((provider, state) -> {
      reads.add(redis.send(Request.cmd(Command.GET).arg(OPEN + provider))
          .onSuccess(until -> {
            if (until != null) state.openedByTeam(until.toLong());
          }));
      reads.add(redis.send(Request.cmd(Command.GET).arg(COOL + provider))
          .onSuccess(until -> {
            if (until != null) state.cooledByTeam(until.toLong());
          }));
    });
    return Future.join(reads).<Void>mapEmpty().otherwiseEmpty();
  }

  public void close() {
    if (subscription != null) subscription.close();
  }

  private String message(String kind, String provider, long untilMs) {
    return new JsonObject().put("from", redis.instanceId()).put("kind", kind).put("provider", provider)
        .put("until", untilMs).encode();
  }

  private void received(String text) {
    JsonObject message;
    try {
      message = new JsonObject(text);
    } catch (DecodeException e) {
      return;
    }
    if (redis.instanceId().equals(message.getString("from"))) return;
    SharedBreakerState state = states.get(message.getString("provider", ""));
    if (state == null) return;
    long until = message.getLong("until", 0L);
    switch (message.getString("kind", "")) {
      case "open" -> state.openedByTeam(until);
      case "closed" -> state.closedByTeam(System.currentTimeMillis());
      case "cool" -> state.cooledByTeam(until);
      default -> LOG.fine("ignored a breaker message of kind " + message.getString("kind"));
    }
  }
}
