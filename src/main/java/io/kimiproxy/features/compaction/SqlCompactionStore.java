package io.kimiproxy.features.compaction;

import io.kimiproxy.core.db.Dialect;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** Compactions and compaction bookkeeping in SQLite. */
public final class SqlCompactionStore implements CompactionStore {
  private static final String INSERT = "INSERT INTO compactions (session_id, ts, trigger, start_index, message_count, "
      + "replaced_hash, summary, summary_source, summary_model, tokens_before, tokens_after) "
      + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String UPSERT_STATE = """
      INSERT INTO compaction_state (session_id, pending, last_ms, consecutive_auto) VALUES (?, ?, ?, ?)
      ON CONFLICT(session_id) DO UPDATE SET pending = excluded.pending, last_ms = excluded.last_ms,
        consecutive_auto = excluded.consecutive_auto
      """;

  private final Pool pool;
  private final Dialect dialect;

  public SqlCompactionStore(Pool pool, Dialect dialect) {
    this.pool = pool;
    this.dialect = dialect;
  }

  @Override
  public Future<Void> save(CompactionRecord r) {
    return pool.preparedQuery(dialect.sql(INSERT)).execute(Tuple.tuple()
            .addValue(r.sessionId()).addValue(r.timestampMs()).addValue(r.trigger()).addValue(r.start())
            .addValue(r.count()).addValue(r.replacedHash()).addValue(r.summary()).addValue(r.summarySource())
            .addValue(r.summaryModel()).addValue(r.tokensBefore()).addValue(r.tokensAfter()))
        .mapEmpty();
  }

  @Override
  public Future<List<CompactionRecord>> forSession(String sessionId, int limit) {
    return pool.preparedQuery(dialect.sql("SELECT * FROM compactions WHERE session_id = ? ORDER BY id DESC LIMIT ?"))
        .execute(Tuple.of(sessionId, limit))
        .map(rows -> {
          List<CompactionRecord> out = new ArrayList<>();
          for (Row row : rows) {
            out.add(new CompactionRecord(num(row, "id"), row.getString("session_id"), num(row, "ts"),
                row.getString("trigger"), (int) num(row, "start_index"), (int) num(row, "message_count"),
                row.getString("replaced_hash"), row.getString("summary"), row.getString("summary_source"),
                row.getString("summary_model"), num(row, "tokens_before"), num(row, "tokens_after")));
          }
          return out;
        });
  }

  @Override
  public Future<CompactionState> state(String sessionId) {
    return pool.preparedQuery(dialect.sql("SELECT * FROM compaction_state WHERE session_id = ?")).execute(Tuple.of(sessionId))
        .map(rows -> {
          if (rows.size() == 0) return CompactionState.fresh(sessionId);
          Row row = rows.iterator().next();
          return new CompactionState(sessionId, num(row, "pending") != 0, num(row, "last_ms"), (int) num(row, "consecutive_auto"));
        });
  }

  @Override
  public Future<Void> saveState(CompactionState s) {
    return pool.preparedQuery(dialect.sql(UPSERT_STATE))
        .execute(Tuple.of(s.sessionId(), s.pending() ? 1 : 0, s.lastMs(), s.consecutiveAuto())).mapEmpty();
  }

  private static long num(Row row, String column) {
    return row.getValue(column) instanceof Number n ? n.longValue() : 0L;
  }
}
