package io.kimiproxy.core.db;

import io.kimiproxy.core.ledger.ClientHistory;
import io.kimiproxy.core.ledger.LedgerStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

/**
 * Where the proxy keeps what it records: a pool on one engine, its schema up to date, and the
 * stores of the core floor on it. Features build their own stores on {@link #pool()}, choosing the
 * class for the {@link #dialect()} (see api.wiring.Stores).
 */
public interface Storage {
  Dialect dialect();

  Pool pool();

  LedgerStore ledger();

  /** The ledger's totals per client: one query, the same on both engines. */
  default ClientHistory clientHistory() {
    return new SqlClientHistory(pool(), dialect());
  }

  Maintenance maintenance();

  /**
   * Whether a failed write may succeed later as it is (the engine is unreachable or restarting),
   * so the rows are kept and written again; other failures would fail again and are dropped.
   */
  boolean unavailable(Throwable failure);

  /** Where the data is, for a log line: a file, or a URL without its password. */
  String describe();

  Future<Void> close();
}
