package io.kimiproxy.core.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.FileProps;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;


/**
 * Keeps the database bounded and healthy: pruning old ledger rows in small batches (each its own
 * short statement, so writers never wait long), VACUUM, and the measurements diagnostics show.
 */
public final class Maintenance {
  private final Vertx vertx;
  private final Database db;

  public Maintenance(Vertx vertx, Database db) {
    this.vertx = vertx;
    this.db = db;
  }

  /** Deletes up to {@code batch} ledger rows older than the cutoff; the number deleted. */
  public Future<Integer> pruneRequests(long olderThanMs, int batch) {
    return db.pool().preparedQuery("DELETE FROM requests WHERE seq IN (SELECT seq FROM requests WHERE ts < ? ORDER BY seq LIMIT ?)")
        .execute(Tuple.of(olderThanMs, batch)).map(rows -> rows.rowCount());
  }

  /** Deletes up to {@code batch} sessions idle since before the cutoff. */
  public Future<Integer> pruneSessions(long olderThanMs, int batch) {
    return db.pool().preparedQuery("DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE last_seen < ? LIMIT ?)")
        .execute(Tuple.of(olderThanMs, batch)).map(rows -> rows.rowCount());
  }

  /** Rewrites the file to its live size and empties the WAL. */
  public Future<Void> vacuum() {
    return db.pool().query("VACUUM").execute()
        .compose(v -> db.pool().query("PRAGMA wal_checkpoint(TRUNCATE)").execute())
        .mapEmpty();
  }

  /** Write and read round-trip times in milliseconds, and the files' sizes. */
  public Future<JsonObject> probe() {
    long start = System.nanoTime();
    JsonObject out = new JsonObject();
    return db.pool().query("CREATE TABLE IF NOT EXISTS diagnostics_probe (id INTEGER PRIMARY KEY, ts INTEGER)").execute()
        .compose(v -> db.pool().preparedQuery("INSERT OR REPLACE INTO diagnostics_probe (id, ts) VALUES (1, ?)")
            .execute(Tuple.of(System.currentTimeMillis())))
        .compose(v -> {
          out.put("write_ms", (System.nanoTime() - start) / 1e6);
          long readStart = System.nanoTime();
          return db.pool().query("SELECT COUNT(*) AS n FROM requests").execute().map(rows -> out
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
  public Future<JsonObject> sizes() {
    String file = db.file().toAbsolutePath().toString();
    return size(file).compose(bytes -> size(file + "-wal").map(wal -> new JsonObject()
        .put("file", file).put("size_bytes", bytes).put("wal_bytes", wal)));
  }

  private Future<Long> size(String path) {
    return vertx.fileSystem().exists(path)
        .compose(exists -> exists ? vertx.fileSystem().props(path).map(FileProps::size) : Future.succeededFuture(0L));
  }
}
