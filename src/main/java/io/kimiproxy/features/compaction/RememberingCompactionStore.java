package io.kimiproxy.features.compaction;

import io.kimiproxy.core.util.BoundedCache;
import io.vertx.core.Future;
import java.util.List;

/**
 * The compaction store with each session's bookkeeping and latest compactions kept in memory:
 * every request of every session asks for both, and almost always gets the same answer as on its
 * previous turn, so the database is read once per session, not once per request. Writes go
 * through to the store; a new compaction drops the session's list so the next read takes it with
 * its id. One process owns its sessions' entries: instances sharing a database must not use it.
 */
public final class RememberingCompactionStore implements CompactionStore {
  private final CompactionStore store;
  private final BoundedCache<String, CompactionState> states;
  private final BoundedCache<String, Records> records;

  /** The newest compactions of a session, as many as were asked for (or all there are). */
  private record Records(List<CompactionRecord> newest, int asked) {
    long weight() {
      long bytes = 64;
      for (CompactionRecord r : newest) bytes += 256 + 2L * r.summary().length();
      return bytes;
    }

    boolean answers(int limit) {
      return limit <= asked || newest.size() < asked;
    }
  }

  public RememberingCompactionStore(CompactionStore store, long maxBytes) {
    this.store = store;
    this.states = new BoundedCache<>(Math.max(1 << 16, maxBytes / 8), s -> 96);
    this.records = new BoundedCache<>(maxBytes, Records::weight);
  }

  @Override
  public Future<Void> save(CompactionRecord record) {
    return store.save(record).onComplete(done -> records.remove(record.sessionId()));
  }

  @Override
  public Future<List<CompactionRecord>> forSession(String sessionId, int limit) {
    Records known = records.get(sessionId);
    if (known != null && known.answers(limit)) {
      return Future.succeededFuture(known.newest.subList(0, Math.min(limit, known.newest.size())));
    }
    return store.forSession(sessionId, limit).onSuccess(list -> records.put(sessionId, new Records(List.copyOf(list), limit)));
  }

  @Override
  public Future<CompactionState> state(String sessionId) {
    CompactionState known = states.get(sessionId);
    return known != null ? Future.succeededFuture(known) : store.state(sessionId).onSuccess(s -> states.put(sessionId, s));
  }

  @Override
  public Future<Void> saveState(CompactionState state) {
    return store.saveState(state).onSuccess(v -> states.put(state.sessionId(), state));
  }
}
