package io.kimiproxy.testing;

import io.kimiproxy.core.events.EventSink;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An event sink that keeps what was published, for assertions. Thread-safe. */
public final class RecordingEvents implements EventSink {
  private final List<JsonObject> events = new CopyOnWriteArrayList<>();

  @Override
  public void publish(String type, JsonObject payload) {
    events.add(new JsonObject().put("type", type).put("payload", payload.copy()));
  }

  /** Payloads of the events of one type, in publishing order. */
  public List<JsonObject> of(String type) {
    return events.stream().filter(e -> type.equals(e.getString("type"))).map(e -> e.getJsonObject("payload")).toList();
  }
}
