package io.kimiproxy.features.smartrouting;

import io.vertx.core.Future;
import java.util.List;

/** Smart routing's history. Implemented over SQLite in {@code core.db}. */
public interface RoutingDecisionStore {

  Future<Void> append(RoutingDecision decision);

  /** Decisions, newest first; of one smart alias when {@code alias} is not null. */
  Future<List<RoutingDecision>> latest(String alias, int limit);
}
