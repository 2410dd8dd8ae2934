package io.kimiproxy.proxy.resilience;

import io.kimiproxy.core.shared.RedisLink;
import io.kimiproxy.core.shared.RedisSubscription;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.Collection;
import java.util.logging.Logger;

/**
 * Breakers shared by a team's instances through Redis: an instance whose breaker opens says so on
 * a channel (the others refuse the provider too, until the same moment) and in a key that
 * expires then (an instance starting meanwhile reads it); a closing breaker, or an operator's
 * reset, ends it for all. Each instance still probes on its own when the time is up.
 */
public final class RedisBreakers implements TeamBreakers {
  static final String CHANNEL = "kp:breakers";
  private static final String PREFIX = "kp:breaker:";
  private static final Logger LOG = Logger.getLogger(RedisBreakers.class.getName());

  private final RedisLink redis;
  private RedisSubscription subscription;

  public RedisBreakers(RedisLink redis) {
    this.redis = redis;
  }

  @Override
  public void opened(String provider, long untilMs) {
    long ttl = Math.max(1, untilMs - System.currentTimeMillis());
    redis.send(Request.cmd(Command.SET).arg(PREFIX + provider).arg(Long.toString(untilMs)).arg("PX").arg(ttl))
        .compose(v -> redis.publish(CHANNEL, message(provider, untilMs)))
        .onFailure(e -> LOG.fine("open breaker of " + provider + " not shared: " + e));
  }

  @Override
  public void closed(String provider) {
    redis.send(Request.cmd(Command.DEL).arg(PREFIX + provider))
        .compose(v -> redis.publish(CHANNEL, message(provider, 0)))
        .onFailure(e -> LOG.fine("closed breaker of " + provider + " not shared: " + e));
  }

  /** Applies the team's breakers to {@code health}: those open now, then every change as it comes. */
  public Future<Void> listen(ProviderHealthRegistry health, Collection<String> providers) {
    subscription = redis.subscribe(CHANNEL, text -> received(health, text));
    Future<Void> all = Future.succeededFuture();
    for (String provider : providers) {
      all = all.compose(v -> redis.send(Request.cmd(Command.GET).arg(PREFIX + provider)).map(until -> {
        if (until != null && health.of(provider) != null) health.of(provider).openedByTeam(until.toLong());
        return (Void) null;
      }));
    }
    return all.otherwiseEmpty();
  }

  public void close() {
    if (subscription != null) subscription.close();
  }

  private String message(String provider, long untilMs) {
    return new JsonObject().put("from", redis.instanceId()).put("provider", provider).put("until", untilMs).encode();
  }

  private void received(ProviderHealthRegistry health, String text) {
    JsonObject message;
    try {
      message = new JsonObject(text);
    } catch (DecodeException e) {
      return;
    }
    if (redis.instanceId().equals(message.getString("from"))) return;
    ProviderHealth provider = health.of(message.getString("provider", ""));
    if (provider == null) return;
    long until = message.getLong("until", 0L);
    if (until > 0) {
      provider.openedByTeam(until);
    } else {
      provider.closedByTeam();
    }
  }
}
