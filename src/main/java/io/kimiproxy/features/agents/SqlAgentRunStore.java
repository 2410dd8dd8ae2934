package io.kimiproxy.features.agents;

import static io.kimiproxy.core.db.Rows.nullableNum;
import static io.kimiproxy.core.db.Rows.num;

import io.kimiproxy.core.db.Dialect;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Agent runs in the database: one row per run, replaced as the run moves on, naming the instance
 * that runs it, so that a restarted instance marks only its own unfinished runs interrupted.
 */
public final class SqlAgentRunStore implements AgentRunStore {

  private static final String COLUMNS = "id, agent_id, status, model, session_id, input_preview, result, "
      + "error_status, error_type, error_code, error_message, log, prompt_tokens, completion_tokens, request_id, "
      + "created_at, started_at, finished_at";

  private static final String SAVE = "INSERT INTO agent_runs (" + COLUMNS + ", instance) VALUES "
      + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
      + "status = excluded.status, result = excluded.result, error_status = excluded.error_status, "
      + "error_type = excluded.error_type, error_code = excluded.error_code, error_message = excluded.error_message, "
      + "log = excluded.log, prompt_tokens = excluded.prompt_tokens, completion_tokens = excluded.completion_tokens, "
      + "request_id = excluded.request_id, started_at = excluded.started_at, finished_at = excluded.finished_at";

  private static final String INTERRUPT = "UPDATE agent_runs SET status = ?, finished_at = ?, error_status = ?, "
      + "error_type = ?, error_code = ?, error_message = ?, log = %s WHERE status IN (?, ?) AND (instance = ? OR instance IS NULL)";
  /** Appends {ts, message} to the JSON array in the log column, in each engine's JSON functions. */
  private static final String SQLITE_LOG_LINE = "json_insert(log, '$[#]', json_object('ts', ?, 'message', ?))";
  private static final String PG_LOG_LINE = "(log::jsonb || jsonb_build_array(jsonb_build_object('ts', ?::bigint, 'message', ?::text)))::text";

  private final Pool pool;
  private final Dialect dialect;
  private final String instance;

  /** @param instance this instance's name among those sharing the database */
  public SqlAgentRunStore(Pool pool, Dialect dialect, String instance) {
    this.pool = pool;
    this.dialect = dialect;
    this.instance = instance;
  }

  @Override
  public Future<Void> save(AgentRun run) {
    RunError e = run.error();
    JsonArray log = new JsonArray();
    run.log().forEach(line -> log.add(line.toJson()));
    Tuple row = Tuple.tuple()
        .addValue(run.id()).addValue(run.agentId()).addValue(run.status().label()).addValue(run.model())
        .addValue(run.sessionId()).addValue(run.inputPreview()).addValue(run.result())
        .addValue(e == null ? null : e.status()).addValue(e == null ? null : e.type())
        .addValue(e == null ? null : e.code()).addValue(e == null ? null : e.message())
        .addValue(log.encode()).addValue(run.promptTokens()).addValue(run.completionTokens())
        .addValue(run.requestId()).addValue(run.createdMs()).addValue(run.startedMs()).addValue(run.finishedMs())
        .addValue(instance);
    return pool.preparedQuery(dialect.sql(SAVE)).execute(row).mapEmpty();
  }

  @Override
  public Future<AgentRun> find(String agentId, String runId) {
    return pool.preparedQuery(dialect.sql("SELECT " + COLUMNS + " FROM agent_runs WHERE id = ? AND agent_id = ?"))
        .execute(Tuple.of(runId, agentId))
        .map(rows -> rows.size() == 0 ? null : run(rows.iterator().next()));
  }

  @Override
  public Future<List<AgentRun>> list(String agentId, int limit) {
    return pool.preparedQuery(dialect.sql("SELECT " + COLUMNS + " FROM agent_runs WHERE agent_id = ? "
            + "ORDER BY created_at DESC, " + dialect.arrivalOrder() + " DESC LIMIT ?"))
        .execute(Tuple.of(agentId, limit))
        .map(rows -> {
          List<AgentRun> out = new ArrayList<>();
          rows.forEach(row -> out.add(run(row)));
          return out;
        });
  }

  @Override
  public Future<Integer> interruptUnfinished(long nowMs, RunError error, String logMessage) {
    Tuple args = Tuple.tuple()
        .addValue(RunStatus.INTERRUPTED.label()).addValue(nowMs).addValue(error.status()).addValue(error.type())
        .addValue(error.code()).addValue(error.message()).addValue(nowMs).addValue(logMessage)
        .addValue(RunStatus.QUEUED.label()).addValue(RunStatus.RUNNING.label()).addValue(instance);
    String logLine = dialect == Dialect.SQLITE ? SQLITE_LOG_LINE : PG_LOG_LINE;
    return pool.preparedQuery(dialect.sql(INTERRUPT.formatted(logLine))).execute(args).map(rows -> rows.rowCount());
  }

  private static AgentRun run(Row row) {
    List<RunLogLine> log = new ArrayList<>();
    for (Object item : new JsonArray(row.getString("log"))) {
      JsonObject line = (JsonObject) item;
      log.add(new RunLogLine(line.getLong("ts"), line.getString("message")));
    }
    RunError error = row.getValue("error_type") == null ? null
        : new RunError((int) num(row, "error_status"), row.getString("error_type"), row.getString("error_code"),
            row.getString("error_message"));
    return new AgentRun(row.getString("id"), row.getString("agent_id"), RunStatus.parse(row.getString("status")),
        row.getString("model"), row.getString("session_id"), row.getString("input_preview"), row.getString("result"),
        error, log, num(row, "prompt_tokens"), num(row, "completion_tokens"), row.getString("request_id"),
        num(row, "created_at"), nullableNum(row, "started_at"), nullableNum(row, "finished_at"));
  }
}
