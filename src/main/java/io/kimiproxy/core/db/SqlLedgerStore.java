package io.kimiproxy.core.db;

import static io.kimiproxy.core.db.Rows.dbl;
import static io.kimiproxy.core.db.Rows.num;

import io.kimiproxy.core.ledger.CacheSaving;
import io.kimiproxy.core.ledger.LedgerPage;
import io.kimiproxy.core.ledger.LedgerStore;
import io.kimiproxy.core.ledger.RequestQuery;
import io.kimiproxy.core.ledger.RequestRecord;
import io.kimiproxy.core.ledger.RequestSteps;
import io.kimiproxy.core.ledger.SessionSummary;
import io.kimiproxy.core.ledger.UsageGroup;
import io.kimiproxy.core.ledger.UsageGrouping;
import io.kimiproxy.core.ledger.UsagePoint;
import io.kimiproxy.core.model.Usage;
import io.kimiproxy.core.ledger.Spending;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The ledger in SQL: one row per request or attempt, and one folded row per session. The queries
 * are the same on both engines; what differs (placeholders, the insert that ignores a row written
 * twice, the day of a timestamp, how a batch is written) is each dialect's subclass's.
 */
abstract class SqlLedgerStore implements LedgerStore {

  private static final String REQUEST_COLUMNS = "id, parent_id, attempt, kind, ts, session_id, client, model_alias, "
      + "provider, upstream_model, stream, status, error_type, error_code, error_message, prompt_tokens, "
      + "completion_tokens, cached_tokens, reasoning_tokens, tokens_estimated, cost_usd, latency_ms, ttfb_ms, max_context, "
      + "client_key, cache_hit, saved_usd, api, queue_ms, masked, redacted, compaction_saved, guard_flagged, guard_blocked";

  /**
   * The insert of a request row after its verb: each dialect says how a row written twice (a batch
   * retried after a failure that may have committed it) is kept once.
   */
  static final String INTO_REQUESTS = "INTO requests (" + REQUEST_COLUMNS
      + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  // The fill follows the latest request that measured a prompt; totals accumulate. A side call
  // made for the session (a summary: request_count 0) adds its tokens and cost but leaves the
  // session's client, model and fill to its chat requests.
  static final String UPSERT_SESSION = """
      INSERT INTO sessions (id, client, model_alias, provider, first_seen, last_seen, request_count, error_count,
        prompt_tokens_total, completion_tokens_total, cost_total, last_prompt_tokens, max_context, context_fill)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT(id) DO UPDATE SET
        client = CASE WHEN excluded.request_count > 0 THEN excluded.client ELSE sessions.client END,
        model_alias = CASE WHEN excluded.request_count > 0 THEN excluded.model_alias ELSE sessions.model_alias END,
        provider = CASE WHEN excluded.request_count > 0 THEN COALESCE(excluded.provider, sessions.provider) ELSE sessions.provider END,
        last_seen = CASE WHEN excluded.last_seen > sessions.last_seen THEN excluded.last_seen ELSE sessions.last_seen END,
        request_count = sessions.request_count + excluded.request_count,
        error_count = sessions.error_count + excluded.error_count,
        prompt_tokens_total = sessions.prompt_tokens_total + excluded.prompt_tokens_total,
        completion_tokens_total = sessions.completion_tokens_total + excluded.completion_tokens_total,
        cost_total = sessions.cost_total + excluded.cost_total,
        last_prompt_tokens = CASE WHEN excluded.last_prompt_tokens > 0 THEN excluded.last_prompt_tokens ELSE sessions.last_prompt_tokens END,
        max_context = CASE WHEN excluded.max_context > 0 THEN excluded.max_context ELSE sessions.max_context END,
        context_fill = CASE WHEN excluded.last_prompt_tokens > 0 THEN excluded.context_fill ELSE sessions.context_fill END
      """;

  // The phase and memory share come from the session's latest context map, when it has one.
  private static final String SELECT_SESSIONS = "SELECT s.id, s.client, s.model_alias, s.provider, s.first_seen, "
      + "s.last_seen, s.request_count, s.error_count, s.prompt_tokens_total, s.completion_tokens_total, s.cost_total, "
      + "s.last_prompt_tokens, s.max_context, s.context_fill, c.phase, c.memory_tokens, c.prompt_tokens AS map_prompt_tokens "
      + "FROM sessions s LEFT JOIN context_maps c ON c.session_id = s.id";

  protected final Pool pool;
  private final Dialect dialect;

  SqlLedgerStore(Pool pool, Dialect dialect) {
    this.pool = pool;
    this.dialect = dialect;
  }

  private String sql(String statement) {
    return dialect.sql(statement);
  }

  /** Writes the request rows, and folds those newly written into their sessions, in one transaction. */
  abstract Future<Void> write(List<RequestRecord> rows);

  @Override
  public Future<Void> append(List<RequestRecord> rows) {
    return rows.isEmpty() ? Future.succeededFuture() : write(rows);
  }

  /** A client's request in a session (not an earlier attempt): what a session's totals count. */
  static boolean foldsIntoSession(RequestRecord r) {
    return r.parentId() == null && r.sessionId() != null;
  }

  @Override
  public Future<List<SessionSummary>> sessions(int limit) {
    return pool.preparedQuery(sql(SELECT_SESSIONS + " ORDER BY s.last_seen DESC LIMIT ?"))
        .execute(Tuple.of(limit))
        .map(rows -> {
          List<SessionSummary> out = new ArrayList<>();
          rows.forEach(row -> out.add(session(row)));
          return out;
        });
  }

  @Override
  public Future<SessionSummary> session(String id) {
    return pool.preparedQuery(sql(SELECT_SESSIONS + " WHERE s.id = ?"))
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : session(rows.iterator().next()));
  }

  @Override
  public Future<LedgerPage> requests(RequestQuery query, long afterSeq, int limit) {
    Tuple args = Tuple.tuple();
    String where = where(query, args) + " AND seq > ?";
    args.addValue(afterSeq).addValue(limit);
    return pool.preparedQuery(sql("SELECT seq, " + REQUEST_COLUMNS + " FROM requests WHERE " + where + " ORDER BY seq LIMIT ?"))
        .execute(args)
        .map(rows -> {
          List<RequestRecord> out = new ArrayList<>();
          long last = afterSeq;
          for (Row row : rows) {
            out.add(request(row));
            last = row.getLong("seq");
          }
          return new LedgerPage(out, last);
        });
  }

  @Override
  public Future<List<RequestRecord>> latestRequests(RequestQuery query, int limit) {
    Tuple args = Tuple.tuple();
    String where = where(query, args);
    args.addValue(limit);
    return pool.preparedQuery(sql("SELECT " + REQUEST_COLUMNS + " FROM requests WHERE " + where + " ORDER BY seq DESC LIMIT ?"))
        .execute(args)
        .map(rows -> {
          List<RequestRecord> out = new ArrayList<>();
          rows.forEach(row -> out.add(request(row)));
          return out;
        });
  }

  @Override
  public Future<List<RequestRecord>> requestWithAttempts(String id) {
    return pool.preparedQuery(sql("SELECT " + REQUEST_COLUMNS + " FROM requests WHERE id = ? OR parent_id = ? ORDER BY seq"))
        .execute(Tuple.of(id, id))
        .map(rows -> {
          List<RequestRecord> out = new ArrayList<>();
          rows.forEach(row -> out.add(request(row)));
          return out;
        });
  }

  @Override
  public Future<List<UsageGroup>> usage(long fromMs, long toMs, UsageGrouping grouping) {
    String sql = "SELECT " + groupKey(grouping) + " AS k,"
        + " SUM(CASE WHEN parent_id IS NULL THEN 1 ELSE 0 END) AS requests,"
        + " SUM(CASE WHEN parent_id IS NULL AND status >= 400 THEN 1 ELSE 0 END) AS errors,"
        + " SUM(prompt_tokens) AS p, SUM(completion_tokens) AS c, SUM(cached_tokens) AS ca,"
        // Aggregates of REAL come back from sqlite-jdbc as 32-bit floats: sum in integer nano-dollars instead.
        + " SUM(reasoning_tokens) AS r, CAST(ROUND(SUM(cost_usd) * 1e9) AS BIGINT) AS cost_nano,"
        + " CAST(ROUND(AVG(latency_ms) * 1000) AS BIGINT) AS lat_micro"
        + " FROM requests WHERE ts >= ? AND ts < ? GROUP BY k ORDER BY k";
    return pool.preparedQuery(sql(sql)).execute(Tuple.of(fromMs, toMs)).map(rows -> {
      List<UsageGroup> out = new ArrayList<>();
      for (Row row : rows) {
        out.add(new UsageGroup(row.getString("k"), num(row, "requests"), num(row, "errors"), num(row, "p"),
            num(row, "c"), num(row, "ca"), num(row, "r"), num(row, "cost_nano") / 1e9, num(row, "lat_micro") / 1000.0));
      }
      return out;
    });
  }

  @Override
  public Future<List<UsagePoint>> timeline(long fromMs, long toMs, long bucketMs, UsageGrouping grouping) {
    String sql = "SELECT (ts / ?) * ? AS bucket, " + groupKey(grouping) + " AS k,"
        + " SUM(CASE WHEN parent_id IS NULL THEN 1 ELSE 0 END) AS requests,"
        + " SUM(prompt_tokens) AS p, SUM(completion_tokens) AS c, CAST(ROUND(SUM(cost_usd) * 1e9) AS BIGINT) AS cost_nano"
        + " FROM requests WHERE ts >= ? AND ts < ? GROUP BY bucket, k ORDER BY bucket, k";
    return pool.preparedQuery(sql(sql)).execute(Tuple.of(bucketMs, bucketMs, fromMs, toMs)).map(rows -> {
      List<UsagePoint> out = new ArrayList<>();
      for (Row row : rows) {
        out.add(new UsagePoint(num(row, "bucket"), row.getString("k"), num(row, "requests"), num(row, "p"),
            num(row, "c"), num(row, "cost_nano") / 1e9));
      }
      return out;
    });
  }

  private String groupKey(UsageGrouping grouping) {
    return switch (grouping) {
      case MODEL -> "model_alias";
      case PROVIDER -> "COALESCE(provider, '')";
      case CLIENT -> "client";
      case DAY -> dialect.utcDay("ts");
    };
  }

  @Override
  public Future<List<CacheSaving>> cacheSavings() {
    return pool.query("SELECT client, COUNT(*) AS hits, SUM(prompt_tokens + completion_tokens) AS tokens,"
            + " CAST(ROUND(SUM(saved_usd) * 1e9) AS BIGINT) AS saved_nano FROM requests WHERE cache_hit = 1 GROUP BY client ORDER BY client")
        .execute().map(rows -> {
          List<CacheSaving> out = new ArrayList<>();
          rows.forEach(r -> out.add(new CacheSaving(r.getString("client"), num(r, "hits"), num(r, "tokens"), num(r, "saved_nano") / 1e9)));
          return out;
        });
  }

  @Override
  public Future<Spending> spentSince(String scope, long fromMs) {
    int colon = scope.indexOf(':');
    String column = colon < 0 ? null : switch (scope.substring(0, colon)) {
      case "provider" -> "provider";
      case "model" -> "model_alias";
      case "client" -> "client_key";
      default -> throw new IllegalArgumentException("unknown scope " + scope);
    };
    Tuple args = Tuple.of(fromMs);
    String filter = "";
    if (column != null) {
      filter = " AND " + column + " = ?";
      args.addValue(scope.substring(colon + 1));
    }
    return pool.preparedQuery(sql("SELECT COALESCE(SUM(prompt_tokens + completion_tokens), 0) AS tokens,"
            + " CAST(ROUND(COALESCE(SUM(cost_usd), 0) * 1e9) AS BIGINT) AS cost_nano FROM requests WHERE ts >= ?"
            + " AND cache_hit = 0 AND provider IS NOT NULL AND status < 400" + filter))
        .execute(args).map(rows -> {
          Row r = rows.iterator().next();
          return new Spending(num(r, "tokens"), num(r, "cost_nano") / 1e9);
        });
  }

  private static String where(RequestQuery query, Tuple args) {
    if (query.sessionId() != null) {
      args.addValue(query.sessionId());
      return "session_id = ?";
    }
    args.addValue(query.fromMs()).addValue(query.toMs());
    return "ts >= ? AND ts < ?";
  }

  static Tuple requestTuple(RequestRecord r) {
    Usage u = r.usage();
    Tuple tuple = Tuple.tuple()
        .addValue(r.id()).addValue(r.parentId()).addValue(r.attempt()).addValue(r.kind())
        .addValue(r.timestampMs()).addValue(r.sessionId()).addValue(r.client()).addValue(r.modelAlias())
        .addValue(r.provider()).addValue(r.upstreamModel()).addValue(r.stream() ? 1 : 0).addValue(r.status())
        .addValue(r.errorType()).addValue(r.errorCode()).addValue(r.errorMessage())
        .addValue(u.promptTokens()).addValue(u.completionTokens()).addValue(u.cachedTokens())
        .addValue(u.reasoningTokens()).addValue(r.tokensEstimated() ? 1 : 0).addValue(r.costUsd())
        .addValue(r.latencyMs()).addValue(r.ttfbMs()).addValue(r.maxContext())
        .addValue(r.clientKey()).addValue(r.cacheHit() ? 1 : 0).addValue(r.savedUsd()).addValue(r.api());
    RequestSteps steps = r.steps();
    if (steps == null) return tuple.addValue(null).addValue(null).addValue(null).addValue(null).addValue(null).addValue(null);
    return tuple.addValue(steps.queueMs()).addValue(steps.masked()).addValue(steps.redacted())
        .addValue(steps.compactionSavedTokens()).addValue(steps.guardFlagged()).addValue(steps.guardBlocked());
  }

  static Tuple sessionTuple(RequestRecord r) {
    boolean chat = r.kind().equals("chat");
    long prompt = r.usage().promptTokens();
    long maxContext = chat ? r.maxContext() : 0;
    double fill = maxContext > 0 ? (double) prompt / maxContext : 0.0;
    return Tuple.tuple()
        .addValue(r.sessionId()).addValue(r.client()).addValue(r.modelAlias()).addValue(r.provider())
        .addValue(r.timestampMs()).addValue(r.timestampMs()).addValue(chat ? 1 : 0).addValue(r.failed() ? 1 : 0)
        .addValue(prompt).addValue(r.usage().completionTokens()).addValue(r.costUsd())
        .addValue(chat ? prompt : 0).addValue(maxContext).addValue(fill);
  }

  private static SessionSummary session(Row row) {
    return new SessionSummary(row.getString("id"), row.getString("client"), row.getString("model_alias"),
        row.getString("provider"), num(row, "first_seen"), num(row, "last_seen"), num(row, "request_count"),
        num(row, "error_count"), num(row, "prompt_tokens_total"), num(row, "completion_tokens_total"),
        dbl(row, "cost_total"), num(row, "last_prompt_tokens"), num(row, "max_context"), dbl(row, "context_fill"),
        row.getString("phase"), num(row, "memory_tokens"), Math.max(0, num(row, "map_prompt_tokens") - num(row, "memory_tokens")));
  }

  private static RequestRecord request(Row row) {
    return new RequestRecord(row.getString("id"), row.getString("parent_id"), (int) num(row, "attempt"),
        row.getString("kind"), num(row, "ts"), row.getString("session_id"), row.getString("client"),
        row.getString("model_alias"), row.getString("provider"), row.getString("upstream_model"),
        num(row, "stream") != 0, (int) num(row, "status"), row.getString("error_type"),
        row.getString("error_code"), row.getString("error_message"),
        new Usage(num(row, "prompt_tokens"), num(row, "completion_tokens"), num(row, "cached_tokens"),
            num(row, "reasoning_tokens")),
        num(row, "tokens_estimated") != 0, dbl(row, "cost_usd"), num(row, "latency_ms"),
        Rows.nullableNum(row, "ttfb_ms"), num(row, "max_context"), row.getString("client_key"),
        num(row, "cache_hit") != 0, dbl(row, "saved_usd"), row.getString("api"), steps(row));
  }

  private static RequestSteps steps(Row row) {
    if (!(row.getValue("queue_ms") instanceof Number)) return null;
    return new RequestSteps(num(row, "queue_ms"), num(row, "masked"), num(row, "redacted"), num(row, "compaction_saved"),
        num(row, "guard_flagged"), num(row, "guard_blocked"));
  }
}
