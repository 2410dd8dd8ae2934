package io.kimiproxy.features.live;

import io.kimiproxy.core.events.EventNames;
import io.kimiproxy.core.shared.RedisLink;
import io.kimiproxy.core.shared.RedisSubscription;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * One live view for a team: every instance publishes its events on a Redis channel and shows the
 * others' on its own {@code /ws}, so any dashboard shows the whole team's traffic. An instance
 * skips its own messages (it showed them when it published them), so each event reaches each
 * browser once. Each instance's clients and view of its providers stay its own. Pub/sub keeps nothing: events published while Redis is away are not seen by the
 * other instances (the ledger, which the dashboard's snapshot reads, has the requests).
 */
public final class SharedFeed {
  static final String CHANNEL = "kp:live";
  private static final Logger LOG = Logger.getLogger(SharedFeed.class.getName());
  /**
   * What stays on this instance's feed: its own connection events, and the states each instance
   * keeps for itself (its clients; its view of a provider, breakers being shared on their own).
   */
  private static final Set<String> LOCAL = Set.of(EventNames.INIT, LiveHub.HEARTBEAT, EventNames.CLIENT_UPDATED,
      EventNames.PROVIDER_STATE);

  private final RedisLink redis;
  private final LiveHub hub;
  private final Map<String, Consumer<JsonObject>> listeners = new ConcurrentHashMap<>();
  private RedisSubscription subscription;

  public SharedFeed(RedisLink redis, LiveHub hub) {
    this.redis = redis;
    this.hub = hub;
  }

  public void start() {
    hub.relayTo(this::send);
    subscription = redis.subscribe(CHANNEL, this::received);
  }

  /** Also hands the other instances' events of this type to {@code listener} (the alerts' list). */
  public void onRemote(String type, Consumer<JsonObject> listener) {
    listeners.put(type, listener);
  }

  private void send(String type, JsonObject payload, long ts) {
    if (LOCAL.contains(type)) return;
    String message = new JsonObject().put("from", redis.instanceId()).put("type", type).put("data", payload)
        .put("ts", ts).encode();
    redis.publish(CHANNEL, message).onFailure(e -> LOG.fine("event not shared: " + e));
  }

  private void received(String text) {
    JsonObject message;
    try {
      message = new JsonObject(text);
    } catch (DecodeException e) {
      LOG.warning("ignored a message on " + CHANNEL + " that is not JSON");
      return;
    }
    if (redis.instanceId().equals(message.getString("from"))) return;
    String type = message.getString("type");
    JsonObject data = message.getJsonObject("data");
    if (type == null || data == null) return;
    Consumer<JsonObject> listener = listeners.get(type);
    if (listener != null) listener.accept(data);
    hub.deliver(type, data, message.getLong("ts", System.currentTimeMillis()));
  }

  public void close() {
    hub.relayTo(null);
    if (subscription != null) subscription.close();
  }
}
