package io.kimiproxy.features.alerts;

import io.kimiproxy.core.events.EventNames;
import io.kimiproxy.core.events.EventSink;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Raises alerts three ways at once: a log line, a live event, and the recent list behind GET /api/alerts. */
public final class AlertCenter {
  private static final Logger LOG = Logger.getLogger(AlertCenter.class.getName());
  private static final int KEEP = 200;

  private final EventSink events;
  private final ArrayDeque<Alert> recent = new ArrayDeque<>();

  public AlertCenter(EventSink events) {
    this.events = events;
  }

  public void raise(String level, String kind, String message, JsonObject details) {
    Alert alert = new Alert(System.currentTimeMillis(), level, kind, message, details);
    keep(alert);
    LOG.log("critical".equals(level) ? Level.SEVERE : Level.WARNING, "alert [" + kind + "] " + message);
    events.publish(EventNames.ALERT, alert.toJson());
  }

  /**
   * An alert another instance of the team raised (it arrived on the shared feed): listed here too,
   * not logged or published again.
   */
  public void received(JsonObject alert) {
    keep(Alert.fromJson(alert));
  }

  private void keep(Alert alert) {
    synchronized (recent) {
      if (recent.size() == KEEP) recent.removeFirst();
      recent.addLast(alert);
    }
  }

  /** Newest first. */
  public List<Alert> recent(int limit) {
    synchronized (recent) {
      List<Alert> out = new ArrayList<>(Math.min(limit, recent.size()));
      var it = recent.descendingIterator();
      while (it.hasNext() && out.size() < limit) out.add(it.next());
      return out;
    }
  }
}
