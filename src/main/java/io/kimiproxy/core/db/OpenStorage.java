package io.kimiproxy.core.db;

import io.kimiproxy.core.ledger.LedgerStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

/** What an open database of either engine holds: its pool, dialect, ledger and maintenance. */
abstract class OpenStorage implements Storage {
  private final Pool pool;
  private final Dialect dialect;
  private final LedgerStore ledger;
  private final Maintenance maintenance;

  OpenStorage(Pool pool, Dialect dialect, LedgerStore ledger, Maintenance maintenance) {
    this.pool = pool;
    this.dialect = dialect;
    this.ledger = ledger;
    this.maintenance = maintenance;
  }

  @Override
  public Dialect dialect() {
    return dialect;
  }

  @Override
  public Pool pool() {
    return pool;
  }

  @Override
  public LedgerStore ledger() {
    return ledger;
  }

  @Override
  public Maintenance maintenance() {
    return maintenance;
  }

  @Override
  public Future<Void> close() {
    return pool.close();
  }
}
