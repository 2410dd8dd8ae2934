package io.kimiproxy.features.compaction;

import io.kimiproxy.core.db.Outage;
import io.vertx.core.Future;
import java.util.List;

/**
 * The compaction store as requests use it: while the database is unreachable a session has no
 * stored compaction and fresh bookkeeping, and a new compaction applies to this request only.
 */
public final class OutageCompactionStore implements CompactionStore {
  private final CompactionStore store;
  private final Outage outage;

  public OutageCompactionStore(CompactionStore store, Outage outage) {
    this.store = store;
    this.outage = outage;
  }

  @Override
  public Future<Void> save(CompactionRecord record) {
    return outage.write(store.save(record), "compaction");
  }

  @Override
  public Future<List<CompactionRecord>> forSession(String sessionId, int limit) {
    return outage.read(store.forSession(sessionId, limit), "compactions", List::of);
  }

  @Override
  public Future<CompactionState> state(String sessionId) {
    return outage.read(store.state(sessionId), "compaction state", () -> CompactionState.fresh(sessionId));
  }

  @Override
  public Future<Void> saveState(CompactionState state) {
    return outage.write(store.saveState(state), "compaction state");
  }
}
