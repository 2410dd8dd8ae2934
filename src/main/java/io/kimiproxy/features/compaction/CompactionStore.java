package io.kimiproxy.features.compaction;

import io.vertx.core.Future;
import java.util.List;

/** Compactions (history and the summaries reapplied each turn) and each session's bookkeeping. */
public interface CompactionStore {

  /** Stores a compaction (its id is given by the store). */
  Future<Void> save(CompactionRecord record);

  /** The session's compactions, newest first. */
  Future<List<CompactionRecord>> forSession(String sessionId, int limit);

  /** The session's bookkeeping (fresh when it has none). */
  Future<CompactionState> state(String sessionId);

  Future<Void> saveState(CompactionState state);
}
