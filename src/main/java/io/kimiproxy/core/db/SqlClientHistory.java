package io.kimiproxy.core.db;

import static io.kimiproxy.core.db.Rows.num;

import io.kimiproxy.core.ledger.ClientHistory;
import io.kimiproxy.core.ledger.ClientTotals;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** Per-client totals read from the ledger's request rows: the same query on both engines. */
final class SqlClientHistory implements ClientHistory {
  // Aggregates of REAL come back from the JDBC client as 32-bit floats: cost is summed in integer nano-dollars.
  private static final String TOTALS = """
      SELECT client, COUNT(*) AS requests, SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END) AS failed,
        SUM(prompt_tokens) AS p, SUM(completion_tokens) AS c, CAST(ROUND(SUM(cost_usd) * 1e9) AS BIGINT) AS cost_nano,
        MAX(ts) AS last_seen
      FROM requests WHERE parent_id IS NULL AND ts < ? GROUP BY client ORDER BY client""";

  private final Pool pool;
  private final String totals;

  SqlClientHistory(Pool pool, Dialect dialect) {
    this.pool = pool;
    this.totals = dialect == Dialect.POSTGRES ? Placeholders.numbered(TOTALS) : TOTALS;
  }

  @Override
  public Future<List<ClientTotals>> clientTotals(long beforeMs) {
    return pool.preparedQuery(totals).execute(Tuple.of(beforeMs)).map(rows -> {
      List<ClientTotals> out = new ArrayList<>();
      for (Row row : rows) {
        out.add(new ClientTotals(row.getString("client"), num(row, "requests"), num(row, "failed"), num(row, "p"),
            num(row, "c"), num(row, "cost_nano") / 1e9, num(row, "last_seen")));
      }
      return out;
    });
  }
}
