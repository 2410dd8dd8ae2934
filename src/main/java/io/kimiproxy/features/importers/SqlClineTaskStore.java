package io.kimiproxy.features.importers;

import static io.kimiproxy.core.db.Rows.num;

import io.kimiproxy.core.db.Dialect;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Cline's tasks in SQLite, one row per task id; a re-import rewrites only the rows whose numbers changed. */
public final class SqlClineTaskStore implements ClineTaskStore {
  // Costs are compared and summed in integer nano-dollars: REAL aggregates come back as 32-bit floats.
  private static final String EXISTING = "SELECT id, ts, tokens_in, tokens_out, cache_writes, cache_reads, "
      + "CAST(ROUND(total_cost * 1e9) AS BIGINT) AS cost_nano, model_id, api_provider FROM cline_tasks";
  private static final String INSERT = "INSERT INTO cline_tasks (ts, tokens_in, tokens_out, cache_writes, "
      + "cache_reads, total_cost, model_id, api_provider, updated_at, id, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String UPDATE = "UPDATE cline_tasks SET ts = ?, tokens_in = ?, tokens_out = ?, cache_writes = ?, "
      + "cache_reads = ?, total_cost = ?, model_id = ?, api_provider = ?, updated_at = ? WHERE id = ?";
  private static final String SUMS = "COUNT(*) AS tasks, SUM(tokens_in) AS i, SUM(tokens_out) AS o, "
      + "SUM(cache_writes) AS cw, SUM(cache_reads) AS cr, CAST(ROUND(SUM(total_cost) * 1e9) AS BIGINT) AS cost_nano";

  private final Pool pool;
  private final Dialect dialect;

  public SqlClineTaskStore(Pool pool, Dialect dialect) {
    this.pool = pool;
    this.dialect = dialect;
  }

  /** The numbers of a task as stored, to tell a changed task from one already current. */
  private record Stored(long ts, long in, long out, long cacheWrites, long cacheReads, long costNano,
                        String model, String provider) {
    static Stored of(ClineTask t) {
      return new Stored(t.timestampMs(), t.tokensIn(), t.tokensOut(), t.cacheWrites(), t.cacheReads(),
          Math.round(t.totalCost() * 1e9), t.modelId(), t.apiProvider());
    }
  }

  @Override
  public Future<UpsertCounts> upsert(List<ClineTask> tasks) {
    long now = System.currentTimeMillis();
    return dialect.transaction(pool, conn -> conn.query(EXISTING).execute().compose(rows -> {
      Map<String, Stored> existing = new HashMap<>();
      for (Row r : rows) {
        existing.put(r.getString("id"), new Stored(num(r, "ts"), num(r, "tokens_in"), num(r, "tokens_out"),
            num(r, "cache_writes"), num(r, "cache_reads"), num(r, "cost_nano"), r.getString("model_id"),
            r.getString("api_provider")));
      }
      List<Tuple> inserts = new ArrayList<>();
      List<Tuple> updates = new ArrayList<>();
      int unchanged = 0;
      for (ClineTask t : tasks) {
        Stored before = existing.get(t.id());
        if (before == null) {
          inserts.add(values(t, now).addValue(now));
        } else if (!Objects.equals(before, Stored.of(t))) {
          updates.add(values(t, now));
        } else {
          unchanged++;
        }
      }
      int same = unchanged;
      return batch(conn, dialect.sql(INSERT), inserts).compose(v -> batch(conn, dialect.sql(UPDATE), updates))
          .map(v -> new UpsertCounts(inserts.size(), updates.size(), same));
    }));
  }

  private static Tuple values(ClineTask t, long now) {
    return Tuple.tuple().addValue(t.timestampMs()).addValue(t.tokensIn()).addValue(t.tokensOut())
        .addValue(t.cacheWrites()).addValue(t.cacheReads()).addValue(t.totalCost()).addValue(t.modelId())
        .addValue(t.apiProvider()).addValue(now).addValue(t.id());
  }

  private static Future<Void> batch(SqlConnection conn, String sql, List<Tuple> rows) {
    return rows.isEmpty() ? Future.succeededFuture() : conn.preparedQuery(sql).executeBatch(rows).mapEmpty();
  }

  @Override
  public Future<Long> count() {
    return pool.query("SELECT COUNT(*) AS n FROM cline_tasks").execute()
        .map(rows -> num(rows.iterator().next(), "n"));
  }

  @Override
  public Future<ClineUsage> usage(long fromMs, long toMs) {
    Tuple range = Tuple.of(fromMs, toMs);
    String where = " FROM cline_tasks WHERE ts >= ? AND ts < ?";
    Future<List<ClineUsageGroup>> total = groups("SELECT NULL AS k, NULL AS provider, " + SUMS + where, range);
    Future<List<ClineUsageGroup>> days = groups("SELECT " + dialect.utcDay("ts") + " AS k, NULL AS provider, "
        + SUMS + where + " GROUP BY k ORDER BY k", range);
    Future<List<ClineUsageGroup>> models = groups("SELECT model_id AS k, api_provider AS provider, " + SUMS + where
        + " GROUP BY model_id, api_provider ORDER BY model_id, api_provider", range);
    return Future.all(total, days, models)
        .map(v -> new ClineUsage(total.result().get(0), days.result(), models.result()));
  }

  private Future<List<ClineUsageGroup>> groups(String sql, Tuple args) {
    return pool.preparedQuery(dialect.sql(sql)).execute(args).map(rows -> {
      List<ClineUsageGroup> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(new ClineUsageGroup(r.getString("k"), r.getString("provider"), num(r, "tasks"), num(r, "i"),
            num(r, "o"), num(r, "cw"), num(r, "cr"), num(r, "cost_nano") / 1e9));
      }
      return out;
    });
  }
}
