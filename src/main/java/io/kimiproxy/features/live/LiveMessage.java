package io.kimiproxy.features.live;

import io.kimiproxy.core.events.EventNames;
import io.vertx.core.json.JsonObject;

/**
 * One event as sent on the WebSocket, encoded once for all clients:
 * {@code {"type": ..., "data": {...}, "ts": epoch ms}}.
 *
 * @param key for snapshot-like events (the latest state of one session or provider), what a newer
 *            event of the same kind replaces while both wait in a slow client's queue; null for
 *            events that each count (requests, alerts)
 */
record LiveMessage(String type, String key, String text) {

  static LiveMessage of(String type, JsonObject data, long ts) {
    String text = new JsonObject().put("type", type).put("data", data).put("ts", ts).encode();
    return new LiveMessage(type, coalescingKey(type, data), text);
  }

  static String coalescingKey(String type, JsonObject data) {
    String subject = switch (type) {
      case EventNames.SESSION_UPDATED -> data.getString("id");
      case EventNames.CONTEXT_MAP -> data.getString("session");
      case EventNames.PROVIDER_STATE -> data.getString("provider", data.getString("name"));
      case EventNames.CLIENT_UPDATED -> data.getString("client") + "/" + data.getString("key");
      case LiveHub.HEARTBEAT -> "";
      default -> null;
    };
    return subject == null ? null : type + ":" + subject;
  }
}
