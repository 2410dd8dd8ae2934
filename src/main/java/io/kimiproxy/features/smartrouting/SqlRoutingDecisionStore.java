package io.kimiproxy.features.smartrouting;

import io.kimiproxy.core.db.Rows;
import io.kimiproxy.core.db.Dialect;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** Smart routing's decisions in SQLite (table {@code routing_decisions}, migration 10). */
public final class SqlRoutingDecisionStore implements RoutingDecisionStore {
  private static final String COLUMNS = "ts, request_id, session_id, alias, chosen, prompt_tokens, candidates";

  private final Pool pool;
  private final Dialect dialect;

  public SqlRoutingDecisionStore(Pool pool, Dialect dialect) {
    this.pool = pool;
    this.dialect = dialect;
  }

  @Override
  public Future<Void> append(RoutingDecision d) {
    Tuple row = Tuple.tuple().addValue(d.timestampMs()).addValue(d.requestId()).addValue(d.sessionId())
        .addValue(d.alias()).addValue(d.chosen()).addValue(d.promptTokens()).addValue(d.candidates().encode());
    return pool.preparedQuery(dialect.sql("INSERT INTO routing_decisions (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)"))
        .execute(row).mapEmpty();
  }

  @Override
  public Future<List<RoutingDecision>> latest(String alias, int limit) {
    String where = alias == null ? "" : " WHERE alias = ?";
    Tuple args = alias == null ? Tuple.of(limit) : Tuple.of(alias, limit);
    return pool.preparedQuery(dialect.sql("SELECT seq, " + COLUMNS + " FROM routing_decisions" + where + " ORDER BY seq DESC LIMIT ?"))
        .execute(args)
        .map(rows -> {
          List<RoutingDecision> out = new ArrayList<>();
          for (Row row : rows) {
            out.add(new RoutingDecision(Rows.num(row, "seq"), Rows.num(row, "ts"), row.getString("request_id"),
                row.getString("session_id"), row.getString("alias"), row.getString("chosen"),
                Rows.num(row, "prompt_tokens"), new JsonArray(row.getString("candidates"))));
          }
          return out;
        });
  }
}
