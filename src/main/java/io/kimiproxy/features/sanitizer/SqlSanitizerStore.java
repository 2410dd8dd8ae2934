package io.kimiproxy.features.sanitizer;

import io.kimiproxy.core.db.Dialect;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Masked tool outputs and sanitizer counts in SQLite. */
public final class SqlSanitizerStore implements SanitizerStore {
  private static final String ADD_COUNTS = """
      INSERT INTO sanitizer_counts (session_id, masked, tokens_saved, secrets_redacted, updated_at)
      VALUES (?, ?, ?, ?, ?)
      ON CONFLICT(session_id) DO UPDATE SET
        masked = sanitizer_counts.masked + excluded.masked,
        tokens_saved = sanitizer_counts.tokens_saved + excluded.tokens_saved,
        secrets_redacted = sanitizer_counts.secrets_redacted + excluded.secrets_redacted,
        updated_at = excluded.updated_at
      """;

  private final Pool pool;
  private final Dialect dialect;

  public SqlSanitizerStore(Pool pool, Dialect dialect) {
    this.pool = pool;
    this.dialect = dialect;
  }

  @Override
  public Future<Void> saveMasks(List<MaskedOutput> masks) {
    if (masks.isEmpty()) return Future.succeededFuture();
    List<Tuple> rows = new ArrayList<>(masks.size());
    for (MaskedOutput m : masks) {
      rows.add(Tuple.of(m.hash(), m.sessionId(), m.createdMs(), m.tokens(), m.content()));
    }
    return pool.preparedQuery(dialect.sql("INSERT INTO masks (hash, session_id, created_at, tokens, content) VALUES (?, ?, ?, ?, ?)"
            + " ON CONFLICT DO NOTHING"))
        .executeBatch(rows).mapEmpty();
  }

  @Override
  public Future<MaskedOutput> mask(String hash) {
    return pool.preparedQuery(dialect.sql("SELECT hash, session_id, created_at, tokens, content FROM masks WHERE hash = ?"))
        .execute(Tuple.of(hash))
        .map(rows -> {
          if (rows.size() == 0) return null;
          Row row = rows.iterator().next();
          return new MaskedOutput(row.getString("hash"), row.getString("session_id"), num(row, "created_at"),
              (int) num(row, "tokens"), row.getString("content"));
        });
  }

  @Override
  public Future<Void> addCounts(String sessionId, SanitizerCounts counts) {
    return pool.preparedQuery(dialect.sql(ADD_COUNTS)).execute(Tuple.of(sessionId, counts.masked(), counts.tokensSaved(),
        counts.secretsRedacted(), System.currentTimeMillis())).mapEmpty();
  }

  @Override
  public Future<SanitizerCounts> totals() {
    return pool.query("SELECT SUM(masked) AS masked, SUM(tokens_saved) AS saved, SUM(secrets_redacted) AS redacted FROM sanitizer_counts")
        .execute()
        .map(rows -> {
          Row row = rows.iterator().next();
          return new SanitizerCounts(num(row, "masked"), num(row, "saved"), num(row, "redacted"));
        });
  }

  @Override
  public Future<Map<String, SanitizerCounts>> bySession(int limit) {
    return pool.preparedQuery(dialect.sql("SELECT session_id, masked, tokens_saved, secrets_redacted FROM sanitizer_counts "
            + "ORDER BY updated_at DESC LIMIT ?"))
        .execute(Tuple.of(limit))
        .map(rows -> {
          Map<String, SanitizerCounts> out = new LinkedHashMap<>();
          for (Row row : rows) {
            out.put(row.getString("session_id"), new SanitizerCounts(num(row, "masked"), num(row, "tokens_saved"),
                num(row, "secrets_redacted")));
          }
          return out;
        });
  }

  private static long num(Row row, String column) {
    return row.getValue(column) instanceof Number n ? n.longValue() : 0L;
  }
}
