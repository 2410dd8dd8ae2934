package io.kimiproxy.features.cache;

import static io.kimiproxy.core.db.Rows.num;

import io.kimiproxy.core.db.Dialect;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** The cache index in the database (table cache_entries), on either engine. */
public final class SqlCacheIndex implements CacheIndex {
  private static final String COLUMNS = "key, created, expires, size_bytes, model, client, stream, prompt_tokens, "
      + "completion_tokens, cost_usd, preview, hits, last_hit";

  // An answer stored again replaces the entry and counts as newly arrived (SQLite's REPLACE gives it a new rowid).
  private static final String UPSERT_SQLITE = "INSERT OR REPLACE INTO cache_entries (" + COLUMNS
      + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String UPSERT_PG = "INSERT INTO cache_entries (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
      + " ON CONFLICT (key) DO UPDATE SET created = excluded.created, expires = excluded.expires,"
      + " size_bytes = excluded.size_bytes, model = excluded.model, client = excluded.client, stream = excluded.stream,"
      + " prompt_tokens = excluded.prompt_tokens, completion_tokens = excluded.completion_tokens,"
      + " cost_usd = excluded.cost_usd, preview = excluded.preview, hits = excluded.hits, last_hit = excluded.last_hit,"
      + " seq = nextval('cache_entries_seq')";

  private final Pool pool;
  private final Dialect dialect;

  public SqlCacheIndex(Pool pool, Dialect dialect) {
    this.pool = pool;
    this.dialect = dialect;
  }

  @Override
  public Future<Void> put(CacheEntryMeta e) {
    return pool.preparedQuery(dialect.sql(dialect == Dialect.SQLITE ? UPSERT_SQLITE : UPSERT_PG))
        .execute(Tuple.tuple().addValue(e.key()).addValue(e.createdMs()).addValue(e.expiresMs()).addValue(e.sizeBytes())
            .addValue(e.model()).addValue(e.client()).addValue(e.stream() ? 1 : 0).addValue(e.promptTokens())
            .addValue(e.completionTokens()).addValue(e.costUsd()).addValue(e.preview()).addValue(e.hits())
            .addValue(e.lastHitMs()))
        .mapEmpty();
  }

  @Override
  public Future<CacheEntryMeta> get(String key) {
    return pool.preparedQuery(dialect.sql("SELECT " + COLUMNS + " FROM cache_entries WHERE key = ?")).execute(Tuple.of(key))
        .map(rows -> rows.size() == 0 ? null : entry(rows.iterator().next()));
  }

  @Override
  public Future<Void> recordHit(String key, long nowMs) {
    return pool.preparedQuery(dialect.sql("UPDATE cache_entries SET hits = hits + 1, last_hit = ? WHERE key = ?"))
        .execute(Tuple.of(nowMs, key)).mapEmpty();
  }

  @Override
  public Future<List<CacheEntryMeta>> newest(int limit) {
    // Entries stored in the same millisecond tie on created: the arrival order breaks the tie.
    return list("ORDER BY created DESC, " + dialect.arrivalOrder() + " DESC LIMIT ?", limit);
  }

  @Override
  public Future<List<CacheEntryMeta>> oldest(int limit) {
    return list("ORDER BY created ASC, " + dialect.arrivalOrder() + " ASC LIMIT ?", limit);
  }

  @Override
  public Future<Long> totalBytes() {
    return single("SELECT COALESCE(SUM(size_bytes), 0) AS n FROM cache_entries");
  }

  @Override
  public Future<Long> count() {
    return single("SELECT COUNT(*) AS n FROM cache_entries");
  }

  @Override
  public Future<Void> delete(String key) {
    return pool.preparedQuery(dialect.sql("DELETE FROM cache_entries WHERE key = ?")).execute(Tuple.of(key)).mapEmpty();
  }

  @Override
  public Future<Void> clear() {
    return pool.query("DELETE FROM cache_entries").execute().mapEmpty();
  }

  private Future<List<CacheEntryMeta>> list(String order, int limit) {
    return pool.preparedQuery(dialect.sql("SELECT " + COLUMNS + " FROM cache_entries " + order)).execute(Tuple.of(limit))
        .map(SqlCacheIndex::entries);
  }

  private Future<Long> single(String sql) {
    return pool.query(sql).execute().map(rows -> ((Number) rows.iterator().next().getValue("n")).longValue());
  }

  private static List<CacheEntryMeta> entries(RowSet<Row> rows) {
    List<CacheEntryMeta> out = new ArrayList<>();
    rows.forEach(r -> out.add(entry(r)));
    return out;
  }

  private static CacheEntryMeta entry(Row r) {
    return new CacheEntryMeta(r.getString("key"), num(r, "created"), num(r, "expires"), num(r, "size_bytes"),
        r.getString("model"), r.getString("client"), num(r, "stream") != 0, num(r, "prompt_tokens"),
        num(r, "completion_tokens"), r.getValue("cost_usd") instanceof Number n ? n.doubleValue() : 0,
        r.getString("preview"), num(r, "hits"), num(r, "last_hit"));
  }
}
