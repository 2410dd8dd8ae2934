package io.kimiproxy.features.guardrails;

import io.vertx.core.Future;
import java.util.List;

/** The guardrails' history. Implemented over SQLite in {@code core.db}. */
public interface GuardActionStore {

  Future<Void> append(GuardActionRecord action);

  /** Decisions, newest first; of one session when {@code sessionId} is not null. */
  Future<List<GuardActionRecord>> latest(String sessionId, int limit);

  /** Counts per session, type and decision; of one session when {@code sessionId} is not null. */
  Future<List<GuardCount>> counts(String sessionId);
}
