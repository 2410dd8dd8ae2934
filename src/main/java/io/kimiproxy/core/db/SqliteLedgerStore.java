package io.kimiproxy.core.db;

import io.kimiproxy.core.ledger.RequestRecord;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/** The ledger in the SQLite file: a batch is one {@code BEGIN IMMEDIATE} transaction, one disk sync. */
public final class SqliteLedgerStore extends SqlLedgerStore {
  private static final String INSERT = "INSERT OR IGNORE " + INTO_REQUESTS;

  public SqliteLedgerStore(Pool pool) {
    super(pool, Dialect.SQLITE);
  }

  @Override
  Future<Void> write(List<RequestRecord> rows) {
    List<Tuple> requests = rows.stream().map(SqlLedgerStore::requestTuple).toList();
    List<Tuple> sessions = rows.stream().filter(SqlLedgerStore::foldsIntoSession).map(SqlLedgerStore::sessionTuple).toList();
    return Dialect.SQLITE.transaction(pool, conn -> conn.preparedQuery(INSERT).executeBatch(requests)
        .compose(v -> sessions.isEmpty() ? Future.succeededFuture()
            : conn.preparedQuery(UPSERT_SESSION).executeBatch(sessions))
        .mapEmpty());
  }
}
