package io.kimiproxy.features.alerts;

import io.kimiproxy.core.events.EventNames;
import io.kimiproxy.core.events.EventSink;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Raises alerts three ways at once: a live event (which the log feature writes as a line), the
 * recent list behind GET /api/alerts, and the store that gives that list back after a restart. An alert about a lasting
 * condition (a budget's level in one period) carries a dedup key: it is raised once however often
 * the condition is derived again (after a restart or a reload), and again once it is gone from
 * the store.
 */
public final class AlertCenter {
  private static final Logger LOG = Logger.getLogger(AlertCenter.class.getName());
  private static final int KEEP = 200;
  /** Dedup keys name conditions of at most a month: older ones cannot come back. */
  private static final long KEY_MEMORY_MS = 32L * 24 * 3600 * 1000;

  private final EventSink events;
  private final AlertStore store;
  private final ArrayDeque<Alert> recent = new ArrayDeque<>(); // guarded by itself
  private final Set<String> raisedKeys = new HashSet<>(); // guarded by recent

  /** @param store where alerts are kept across restarts; null keeps them in memory only */
  public AlertCenter(EventSink events, AlertStore store) {
    this.events = events;
    this.store = store;
  }

  /** Alerts in memory only, gone with the process. */
  public AlertCenter(EventSink events) {
    this(events, null);
  }

  /** Takes back the stored feed and the conditions already raised: call once before raising anything. */
  public Future<Void> load() {
    if (store == null) return Future.succeededFuture();
    return Future.all(store.latest(KEEP), store.keysSince(System.currentTimeMillis() - KEY_MEMORY_MS))
        .onSuccess(both -> {
          List<Alert> stored = both.resultAt(0);
          Set<String> keys = both.resultAt(1);
          synchronized (recent) {
            for (int i = stored.size() - 1; i >= 0; i--) keep(stored.get(i));
            raisedKeys.addAll(keys);
          }
        })
        .mapEmpty();
  }

  public void raise(String level, String kind, String message, JsonObject details) {
    raise(level, kind, message, details, null);
  }

  /**
   * Raises an alert unless one with the same {@code dedupKey} (when not null) was raised already.
   *
   * @return whether it was raised
   */
  public boolean raise(String level, String kind, String message, JsonObject details, String dedupKey) {
    Alert alert = new Alert(System.currentTimeMillis(), level, kind, message, details);
    synchronized (recent) {
      if (dedupKey != null && !raisedKeys.add(dedupKey)) return false;
      keep(alert);
    }
    events.publish(EventNames.ALERT, alert.toJson());
    if (store != null) {
      store.append(alert, dedupKey).onFailure(e -> LOG.warning("alert not stored: " + e.getMessage()));
    }
    return true;
  }

  /**
   * An alert another instance of the team raised (it arrived on the shared feed): listed here too,
   * not published or stored again (the store, on PostgreSQL, is the team's).
   */
  public void received(JsonObject alert) {
    synchronized (recent) {
      keep(Alert.fromJson(alert));
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

  private void keep(Alert alert) {
    if (recent.size() == KEEP) recent.removeFirst();
    recent.addLast(alert);
  }
}
