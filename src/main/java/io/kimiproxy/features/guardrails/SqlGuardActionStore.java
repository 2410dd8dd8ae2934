package io.kimiproxy.features.guardrails;

import io.kimiproxy.config.ToolCallType;
import io.kimiproxy.core.db.Dialect;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** The guardrails' history in SQLite (table {@code guardrail_actions}, migration 7). */
public final class SqlGuardActionStore implements GuardActionStore {
  private static final String COLUMNS = "ts, request_id, session_id, client, model, stream, call_index, call_id, "
      + "tool_name, tool_type, decision, rule, pattern, reason, preview, arguments_bytes";
  private static final String INSERT = "INSERT INTO guardrail_actions (" + COLUMNS
      + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private final Pool pool;
  private final Dialect dialect;

  public SqlGuardActionStore(Pool pool, Dialect dialect) {
    this.pool = pool;
    this.dialect = dialect;
  }

  @Override
  public Future<Void> append(GuardActionRecord a) {
    Tuple row = Tuple.tuple().addValue(a.timestampMs()).addValue(a.requestId()).addValue(a.sessionId())
        .addValue(a.client()).addValue(a.model()).addValue(a.stream() ? 1 : 0).addValue(a.callIndex())
        .addValue(a.callId()).addValue(a.toolName()).addValue(a.type().name()).addValue(a.decision().label())
        .addValue(a.rule()).addValue(a.pattern()).addValue(a.reason()).addValue(a.preview())
        .addValue(a.argumentsBytes());
    return dialect.transaction(pool, conn -> conn.preparedQuery(dialect.sql(INSERT)).execute(row).mapEmpty());
  }

  @Override
  public Future<List<GuardActionRecord>> latest(String sessionId, int limit) {
    String where = sessionId == null ? "" : " WHERE session_id = ?";
    Tuple args = sessionId == null ? Tuple.of(limit) : Tuple.of(sessionId, limit);
    return pool.preparedQuery(dialect.sql("SELECT seq, " + COLUMNS + " FROM guardrail_actions" + where + " ORDER BY seq DESC LIMIT ?"))
        .execute(args)
        .map(rows -> {
          List<GuardActionRecord> out = new ArrayList<>();
          rows.forEach(row -> out.add(action(row)));
          return out;
        });
  }

  @Override
  public Future<List<GuardCount>> counts(String sessionId) {
    String where = sessionId == null ? "" : " WHERE session_id = ?";
    Tuple args = sessionId == null ? Tuple.tuple() : Tuple.of(sessionId);
    return pool.preparedQuery(dialect.sql("SELECT session_id, tool_type, decision, COUNT(*) AS n, MAX(ts) AS last_ts"
            + " FROM guardrail_actions" + where + " GROUP BY session_id, tool_type, decision"))
        .execute(args)
        .map(rows -> {
          List<GuardCount> out = new ArrayList<>();
          for (Row row : rows) {
            out.add(new GuardCount(row.getString("session_id"), ToolCallType.valueOf(row.getString("tool_type")),
                GuardDecision.parse(row.getString("decision")), num(row, "n"), num(row, "last_ts")));
          }
          return out;
        });
  }

  private static GuardActionRecord action(Row row) {
    return new GuardActionRecord(num(row, "seq"), num(row, "ts"), row.getString("request_id"),
        row.getString("session_id"), row.getString("client"), row.getString("model"), num(row, "stream") != 0,
        (int) num(row, "call_index"), row.getString("call_id"), row.getString("tool_name"),
        ToolCallType.valueOf(row.getString("tool_type")), GuardDecision.parse(row.getString("decision")),
        row.getString("rule"), row.getString("pattern"), row.getString("reason"), row.getString("preview"),
        num(row, "arguments_bytes"));
  }

  private static long num(Row row, String column) {
    return row.getValue(column) instanceof Number n ? n.longValue() : 0L;
  }
}
