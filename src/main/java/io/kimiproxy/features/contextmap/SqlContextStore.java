package io.kimiproxy.features.contextmap;

import io.kimiproxy.core.model.Phase;
import io.kimiproxy.core.db.Dialect;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/** Context maps in SQLite: one row per session, replaced by each request. */
public final class SqlContextStore implements ContextStore {
  private static final String UPSERT = """
      INSERT INTO context_maps (session_id, request_id, ts, model, max_context, reserved_output, prompt_tokens,
        fill, phase, memory_tokens, parts)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT(session_id) DO UPDATE SET
        request_id = excluded.request_id, ts = excluded.ts, model = excluded.model,
        max_context = excluded.max_context, reserved_output = excluded.reserved_output,
        prompt_tokens = excluded.prompt_tokens, fill = excluded.fill, phase = excluded.phase,
        memory_tokens = excluded.memory_tokens, parts = excluded.parts
      """;

  /**
   * Maps with more parts than this are encoded on a worker: a prompt of 10,000 messages takes an
   * event loop hundreds of milliseconds to encode.
   */
  private static final int INLINE_PARTS = 500;

  private final Pool pool;
  private final Dialect dialect;
  private final Vertx vertx;

  public SqlContextStore(Pool pool, Dialect dialect, Vertx vertx) {
    this.pool = pool;
    this.dialect = dialect;
    this.vertx = vertx;
  }

  @Override
  public Future<Void> save(ContextMap map) {
    Future<String> parts = map.parts().size() > INLINE_PARTS
        ? vertx.executeBlocking(() -> encodeParts(map), false)
        : Future.succeededFuture(encodeParts(map));
    return parts.compose(json -> pool.preparedQuery(dialect.sql(UPSERT)).execute(Tuple.tuple()
            .addValue(map.session()).addValue(map.requestId()).addValue(map.timestampMs()).addValue(map.model())
            .addValue(map.maxContext()).addValue(map.reservedOutput()).addValue(map.promptTokens())
            .addValue(map.fill()).addValue(map.phase().name()).addValue(map.memoryTokens()).addValue(json)))
        .mapEmpty();
  }

  private static String encodeParts(ContextMap map) {
    JsonArray parts = new JsonArray();
    map.parts().forEach(p -> parts.add(p.toJson()));
    return parts.encode();
  }

  @Override
  public Future<ContextMap> latest(String session) {
    return pool.preparedQuery(dialect.sql("SELECT * FROM context_maps WHERE session_id = ?")).execute(Tuple.of(session))
        .map(rows -> rows.size() == 0 ? null : map(rows.iterator().next()));
  }

  @Override
  public Future<Phase> phase(String session) {
    return pool.preparedQuery(dialect.sql("SELECT phase FROM context_maps WHERE session_id = ?")).execute(Tuple.of(session))
        .map(rows -> rows.size() == 0 ? null : Phase.valueOf(rows.iterator().next().getString("phase")));
  }

  private static ContextMap map(Row row) {
    return new ContextMap(row.getString("session_id"), row.getString("request_id"), num(row, "ts"),
        row.getString("model"), num(row, "max_context"), num(row, "reserved_output"), num(row, "prompt_tokens"),
        row.getValue("fill") instanceof Number n ? n.doubleValue() : 0.0, Phase.valueOf(row.getString("phase")),
        num(row, "memory_tokens"), ContextMap.partsFromJson(new JsonArray(row.getString("parts"))));
  }

  private static long num(Row row, String column) {
    return row.getValue(column) instanceof Number n ? n.longValue() : 0L;
  }
}
