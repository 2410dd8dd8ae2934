package io.kimiproxy.core.db;

import io.kimiproxy.core.ledger.RequestRecord;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The ledger on PostgreSQL, shared by a team's instances. A batch is one transaction: the day
 * partitions its rows need, the request rows (sent as one pipelined batch), the session upserts.
 * A batch written again after a connection broke at its commit (it may have landed) must not count
 * twice: only the rows the insert did write are folded into their sessions.
 */
final class PgLedgerStore extends SqlLedgerStore {
  private static final String INSERT = Placeholders.numbered("INSERT " + INTO_REQUESTS + " ON CONFLICT DO NOTHING RETURNING id");
  private static final String UPSERT = Placeholders.numbered(UPSERT_SESSION);

  private final RequestPartitions partitions;

  PgLedgerStore(Pool pool, RequestPartitions partitions) {
    super(pool, Dialect.POSTGRES);
    this.partitions = partitions;
  }

  @Override
  Future<Void> write(List<RequestRecord> rows) {
    List<Long> timestamps = rows.stream().map(RequestRecord::timestampMs).toList();
    List<Tuple> requests = rows.stream().map(SqlLedgerStore::requestTuple).toList();
    return pool.<Void>withTransaction(conn -> partitions.ensure(conn, timestamps)
            .compose(v -> conn.preparedQuery(INSERT).executeBatch(requests))
            .compose(inserted -> {
              List<Tuple> sessions = newSessionRows(rows, inserted);
              return sessions.isEmpty() ? Future.succeededFuture()
                  : conn.preparedQuery(UPSERT).executeBatch(sessions).mapEmpty();
            })
            .mapEmpty())
        .onSuccess(v -> partitions.created(timestamps));
  }

  /** The session upserts of the rows the batch inserted (a batch gives one result per row, empty for a row already there). */
  private static List<Tuple> newSessionRows(List<RequestRecord> rows, RowSet<Row> inserted) {
    Set<String> written = new HashSet<>();
    for (RowSet<Row> result = inserted; result != null; result = result.next()) {
      result.forEach(row -> written.add(row.getString("id")));
    }
    List<Tuple> sessions = new ArrayList<>();
    for (RequestRecord r : rows) {
      if (foldsIntoSession(r) && written.contains(r.id())) sessions.add(sessionTuple(r));
    }
    return sessions;
  }
}
