package io.kimiproxy.core.events;

import io.vertx.core.json.JsonObject;

/**
 * Where lower floors publish events without knowing who listens (the WebSocket hub lives in
 * services). Implementations must return at once: publishing is never on a request's critical path.
 */
@FunctionalInterface
public interface EventSink {
  EventSink NONE = (type, payload) -> {};

  void publish(String type, JsonObject payload);
}
