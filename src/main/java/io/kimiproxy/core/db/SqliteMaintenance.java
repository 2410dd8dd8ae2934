package io.kimiproxy.core.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.FileProps;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;


/**
 * The SQLite file's maintenance: pruning old ledger rows in small batches (each its own short
 * statement, so writers never wait long), VACUUM, and the file's and WAL's sizes.
 */
final class SqliteMaintenance implements Maintenance {
  private final Vertx vertx;
  private final Pool pool;
  private final Path file;

  SqliteMaintenance(Vertx vertx, Pool pool, Path file) {
    this.vertx = vertx;
    this.pool = pool;
    this.file = file;
  }

  @Override
  public Future<Integer> pruneRequests(long olderThanMs, int batch) {
    return pool.preparedQuery("DELETE FROM requests WHERE seq IN (SELECT seq FROM requests WHERE ts < ? ORDER BY seq LIMIT ?)")
        .execute(Tuple.of(olderThanMs, batch)).map(rows -> rows.rowCount());
  }

  @Override
  public Future<Integer> pruneSessions(long olderThanMs, int batch) {
    return pool.preparedQuery("DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE last_seen < ? LIMIT ?)")
        .execute(Tuple.of(olderThanMs, batch)).map(rows -> rows.rowCount());
  }

  @Override
  public Future<Void> vacuum() {
    return pool.query("VACUUM").execute()
        .compose(v -> pool.query("PRAGMA wal_checkpoint(TRUNCATE)").execute())
        .mapEmpty();
  }

  @Override
  public Future<JsonObject> probe() {
    long start = System.nanoTime();
    JsonObject out = new JsonObject();
    return pool.query("CREATE TABLE IF NOT EXISTS diagnostics_probe (id INTEGER PRIMARY KEY, ts INTEGER)").execute()
        .compose(v -> pool.preparedQuery("INSERT OR REPLACE INTO diagnostics_probe (id, ts) VALUES (1, ?)")
            .execute(Tuple.of(System.currentTimeMillis())))
        .compose(v -> {
          out.put("write_ms", (System.nanoTime() - start) / 1e6);
          long readStart = System.nanoTime();
          return pool.query("SELECT COUNT(*) AS n FROM requests").execute().map(rows -> out
              .put("read_ms", (System.nanoTime() - readStart) / 1e6)
              .put("ledger_rows", ((Number) rows.iterator().next().getValue("n")).longValue()));
        })
        .compose(v -> sizes())
        .map(out::mergeIn);
  }

  /**
   * The file's and the WAL's sizes, measured without writing (after a VACUUM, the probe's own
   * write would refill the WAL it just emptied).
   */
  @Override
  public Future<JsonObject> sizes() {
    String path = file.toAbsolutePath().toString();
    return size(path).compose(bytes -> size(path + "-wal").map(wal -> new JsonObject()
        .put("engine", "sqlite").put("file", path).put("size_bytes", bytes).put("wal_bytes", wal)));
  }

  private Future<Long> size(String path) {
    return vertx.fileSystem().exists(path)
        .compose(exists -> exists ? vertx.fileSystem().props(path).map(FileProps::size) : Future.succeededFuture(0L));
  }
}
