package io.kimiproxy.features.alerts;

import io.vertx.core.Future;
import java.util.List;
import java.util.Set;

/** Where alerts outlive the process: the feed after a restart, and which conditions were already raised. */
public interface AlertStore {

  /** Stores an alert; one whose {@code dedupKey} is already stored is left out. */
  Future<Void> append(Alert alert, String dedupKey);

  /** The newest alerts, newest first. */
  Future<List<Alert>> latest(int limit);

  /** The dedup keys of the alerts raised since {@code fromMs}. */
  Future<Set<String>> keysSince(long fromMs);
}
