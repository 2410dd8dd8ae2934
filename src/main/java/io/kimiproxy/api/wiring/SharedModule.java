package io.kimiproxy.api.wiring;

import io.kimiproxy.core.events.EventNames;
import io.kimiproxy.core.shared.RedisLink;
import io.kimiproxy.features.alerts.AlertCenter;
import io.kimiproxy.features.live.LiveHub;
import io.kimiproxy.features.live.SharedFeed;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * Team mode's share of the wiring, present when [shared] names a Redis: the one live view (this
 * instance's events out, the others' in, their alerts in this instance's list too) and an alert
 * when Redis goes away or comes back. The limits and budgets on Redis are the governance
 * module's; the link itself is the foundation's.
 */
public final class SharedModule implements Module {
  private final RedisLink redis;
  private final SharedFeed feed;
  private final Runnable unsubscribe;

  private SharedModule(RedisLink redis, SharedFeed feed, Runnable unsubscribe) {
    this.redis = redis;
    this.feed = feed;
    this.unsubscribe = unsubscribe;
  }

  /** The module, or null for a solo proxy. */
  public static SharedModule create(Foundation f, LiveHub hub, AlertCenter alerts) {
    RedisLink redis = f.redis();
    if (redis == null) return null;
    SharedFeed feed = new SharedFeed(redis, hub);
    feed.onRemote(EventNames.ALERT, alerts::received);
    String failure = f.config().shared().failOpen()
        ? "rate limits and budgets are not enforced across the team until it is back ([shared] on_failure = \"open\")"
        : "requests are refused with 503 until it is back ([shared] on_failure = \"closed\")";
    Runnable unsubscribe = redis.onStateChange(up -> {
      JsonObject details = new JsonObject().put("instance", f.config().shared().instance());
      if (up) {
        alerts.raise("info", "shared", "Redis answers again: shared limits, budgets and the live view are back.", details);
      } else {
        alerts.raise("critical", "shared", "Redis is unreachable: " + failure + ".", details);
      }
    });
    return new SharedModule(redis, feed, unsubscribe);
  }

  @Override
  public void mount(Router router) {
    // Nothing of its own to serve: the routes of limits, budgets and the dashboard read the shared state.
  }

  @Override
  public Future<Void> beforeListening() {
    feed.start();
    return redis.warmUp();
  }

  @Override
  public Future<Void> close() {
    unsubscribe.run();
    feed.close();
    return redis.close();
  }
}
