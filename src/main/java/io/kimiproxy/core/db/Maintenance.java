package io.kimiproxy.core.db;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Keeps the database bounded and healthy: pruning old ledger rows, compacting, and the
 * measurements diagnostics show.
 */
public interface Maintenance {

  /**
   * Removes ledger rows older than the cutoff: up to {@code batch} per call where the engine deletes
   * rows (SQLite), every whole day past it where it drops partitions (PostgreSQL); the number removed.
   */
  Future<Integer> pruneRequests(long olderThanMs, int batch);

  /** Deletes up to {@code batch} sessions idle since before the cutoff. */
  Future<Integer> pruneSessions(long olderThanMs, int batch);

  /** Gives the space of deleted rows back. */
  Future<Void> vacuum();

  /** Write and read round-trip times in milliseconds, the ledger's row count and the sizes. */
  Future<JsonObject> probe();

  /** The database's size, measured without writing. */
  Future<JsonObject> sizes();
}
