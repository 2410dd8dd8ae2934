package io.kimiproxy.features.alerts;

import io.kimiproxy.core.db.Dialect;
import io.kimiproxy.core.db.Rows;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Alerts in the database (table {@code alerts}, migration 13), on either engine; the newest {@value #KEEP} kept. */
public final class SqlAlertStore implements AlertStore {
  static final int KEEP = 1000;

  private final Pool pool;
  private final Dialect dialect;

  public SqlAlertStore(Pool pool, Dialect dialect) {
    this.pool = pool;
    this.dialect = dialect;
  }

  @Override
  public Future<Void> append(Alert alert, String dedupKey) {
    Tuple row = Tuple.tuple().addValue(alert.timestampMs()).addValue(alert.level()).addValue(alert.kind())
        .addValue(alert.message()).addValue(alert.details() == null ? null : alert.details().encode()).addValue(dedupKey);
    return pool.preparedQuery(dialect.sql("INSERT INTO alerts (ts, level, kind, message, details, dedup_key) VALUES (?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT DO NOTHING"))
        .execute(row)
        .compose(v -> pool.preparedQuery(dialect.sql("DELETE FROM alerts WHERE seq <= (SELECT MAX(seq) FROM alerts) - ?"))
            .execute(Tuple.of(KEEP)))
        .mapEmpty();
  }

  @Override
  public Future<List<Alert>> latest(int limit) {
    return pool.preparedQuery(dialect.sql("SELECT ts, level, kind, message, details FROM alerts ORDER BY seq DESC LIMIT ?"))
        .execute(Tuple.of(limit))
        .map(rows -> {
          List<Alert> out = new ArrayList<>();
          for (Row row : rows) {
            String details = row.getString("details");
            out.add(new Alert(Rows.num(row, "ts"), row.getString("level"), row.getString("kind"),
                row.getString("message"), details == null ? null : new JsonObject(details)));
          }
          return out;
        });
  }

  @Override
  public Future<Set<String>> keysSince(long fromMs) {
    return pool.preparedQuery(dialect.sql("SELECT dedup_key FROM alerts WHERE dedup_key IS NOT NULL AND ts >= ?"))
        .execute(Tuple.of(fromMs))
        .map(rows -> {
          Set<String> keys = new HashSet<>();
          rows.forEach(row -> keys.add(row.getString("dedup_key")));
          return keys;
        });
  }
}
