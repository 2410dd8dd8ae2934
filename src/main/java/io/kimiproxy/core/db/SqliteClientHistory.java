package io.kimiproxy.core.db;

import io.kimiproxy.core.ledger.ClientHistory;
import io.kimiproxy.core.ledger.ClientTotals;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** Per-client totals read from the ledger's request rows. */
public final class SqliteClientHistory implements ClientHistory {
  // Aggregates of REAL come back from the JDBC client as 32-bit floats: cost is summed in integer nano-dollars.
  private static final String TOTALS = """
      SELECT client, COUNT(*) AS requests, SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END) AS failed,
        SUM(prompt_tokens) AS p, SUM(completion_tokens) AS c, CAST(ROUND(SUM(cost_usd) * 1e9) AS INTEGER) AS cost_nano,
        MAX(ts) AS last_seen
      FROM requests WHERE parent_id IS NULL AND ts < ? GROUP BY client ORDER BY client""";

  private final Pool pool;

  public SqliteClientHistory(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<List<ClientTotals>> clientTotals(long beforeMs) {
    return pool.preparedQuery(TOTALS).execute(Tuple.of(beforeMs)).map(rows -> {
      List<ClientTotals> out = new ArrayList<>();
      for (Row row : rows) {
        out.add(new ClientTotals(row.getString("client"), num(row, "requests"), num(row, "failed"), num(row, "p"),
            num(row, "c"), num(row, "cost_nano") / 1e9, num(row, "last_seen")));
      }
      return out;
    });
  }

  public static long num(Row row, String column) {
    return row.getValue(column) instanceof Number n ? n.longValue() : 0L;
  }
}
