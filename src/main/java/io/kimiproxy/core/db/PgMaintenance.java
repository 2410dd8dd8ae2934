package io.kimiproxy.core.db;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/**
 * PostgreSQL's maintenance: retention drops the ledger's day partitions that are wholly past the
 * cutoff (so rows are kept up to a day longer than {@code retention_days}, never less), and makes
 * sure the coming day's partition exists; sessions are deleted in batches as on SQLite.
 */
final class PgMaintenance implements Maintenance {
  private final Pool pool;
  private final String where;
  private final RequestPartitions partitions;

  PgMaintenance(Pool pool, String where, RequestPartitions partitions) {
    this.pool = pool;
    this.where = where;
    this.partitions = partitions;
  }

  @Override
  public Future<Integer> pruneRequests(long olderThanMs, int batch) {
    return partitions.ahead(pool, System.currentTimeMillis())
        .compose(v -> partitions.before(pool, olderThanMs))
        .compose(this::drop);
  }

  private Future<Integer> drop(List<String> names) {
    Future<Integer> total = Future.succeededFuture(0);
    for (String name : names) {
      total = total.compose(sum -> pool.query("SELECT COUNT(*) AS n FROM " + name).execute()
          .compose(rows -> pool.query("DROP TABLE IF EXISTS " + name).execute()
              .map(dropped -> {
                partitions.dropped(name);
                return sum + (int) Rows.num(rows.iterator().next(), "n");
              })));
    }
    return total;
  }

  @Override
  public Future<Integer> pruneSessions(long olderThanMs, int batch) {
    return pool.preparedQuery("DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE last_seen < $1 LIMIT $2)")
        .execute(Tuple.of(olderThanMs, batch)).map(rows -> rows.rowCount());
  }

  @Override
  public Future<Void> vacuum() {
    return pool.query("VACUUM (ANALYZE)").execute().mapEmpty();
  }

  @Override
  public Future<JsonObject> probe() {
    long start = System.nanoTime();
    JsonObject out = new JsonObject();
    return pool.query("CREATE TABLE IF NOT EXISTS diagnostics_probe (id BIGINT PRIMARY KEY, ts BIGINT)").execute()
        .compose(v -> pool.preparedQuery("INSERT INTO diagnostics_probe (id, ts) VALUES (1, $1)"
            + " ON CONFLICT (id) DO UPDATE SET ts = EXCLUDED.ts").execute(Tuple.of(System.currentTimeMillis())))
        .compose(v -> {
          out.put("write_ms", (System.nanoTime() - start) / 1e6);
          long readStart = System.nanoTime();
          return pool.query("SELECT COUNT(*) AS n FROM requests").execute().map(rows -> out
              .put("read_ms", (System.nanoTime() - readStart) / 1e6)
              .put("ledger_rows", Rows.num(rows.iterator().next(), "n")));
        })
        .compose(v -> sizes())
        .map(out::mergeIn);
  }

  @Override
  public Future<JsonObject> sizes() {
    return pool.query("SELECT pg_database_size(current_database()) AS bytes").execute()
        .map(rows -> new JsonObject().put("engine", "postgresql").put("url", where)
            .put("size_bytes", Rows.num(rows.iterator().next(), "bytes")));
  }
}
