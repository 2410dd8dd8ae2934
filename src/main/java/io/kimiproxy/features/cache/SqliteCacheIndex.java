package io.kimiproxy.features.cache;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** The cache index in SQLite (table cache_entries). */
public final class SqliteCacheIndex implements CacheIndex {
  private static final String COLUMNS = "key, created, expires, size_bytes, model, client, stream, prompt_tokens, "
      + "completion_tokens, cost_usd, preview, hits, last_hit";

  private final Pool pool;

  public SqliteCacheIndex(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Void> put(CacheEntryMeta e) {
    return pool.preparedQuery("INSERT OR REPLACE INTO cache_entries (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .execute(Tuple.tuple().addValue(e.key()).addValue(e.createdMs()).addValue(e.expiresMs()).addValue(e.sizeBytes())
            .addValue(e.model()).addValue(e.client()).addValue(e.stream() ? 1 : 0).addValue(e.promptTokens())
            .addValue(e.completionTokens()).addValue(e.costUsd()).addValue(e.preview()).addValue(e.hits())
            .addValue(e.lastHitMs()))
        .mapEmpty();
  }

  @Override
  public Future<CacheEntryMeta> get(String key) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM cache_entries WHERE key = ?").execute(Tuple.of(key))
        .map(rows -> rows.size() == 0 ? null : entry(rows.iterator().next()));
  }

  @Override
  public Future<Void> recordHit(String key, long nowMs) {
    return pool.preparedQuery("UPDATE cache_entries SET hits = hits + 1, last_hit = ? WHERE key = ?")
        .execute(Tuple.of(nowMs, key)).mapEmpty();
  }

  @Override
  public Future<List<CacheEntryMeta>> newest(int limit) {
    // Entries stored in the same millisecond tie on created: rowid keeps their order of arrival.
    return list("ORDER BY created DESC, rowid DESC LIMIT ?", limit);
  }

  @Override
  public Future<List<CacheEntryMeta>> oldest(int limit) {
    return list("ORDER BY created ASC, rowid ASC LIMIT ?", limit);
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
    return pool.preparedQuery("DELETE FROM cache_entries WHERE key = ?").execute(Tuple.of(key)).mapEmpty();
  }

  @Override
  public Future<Void> clear() {
    return pool.query("DELETE FROM cache_entries").execute().mapEmpty();
  }

  private Future<List<CacheEntryMeta>> list(String order, int limit) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM cache_entries " + order).execute(Tuple.of(limit))
        .map(SqliteCacheIndex::entries);
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

  private static long num(Row r, String column) {
    return r.getValue(column) instanceof Number n ? n.longValue() : 0;
  }
}
