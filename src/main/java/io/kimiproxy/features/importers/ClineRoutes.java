package io.kimiproxy.features.importers;

import io.kimiproxy.core.http.JsonReply;
import io.kimiproxy.core.http.QueryParams;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/** Cline's imported task history: import now, usage, and the importer's status. */
public final class ClineRoutes {
  private final ClineImporter importer;
  private final ClineTaskStore store;

  public ClineRoutes(ClineImporter importer, ClineTaskStore store) {
    this.importer = importer;
    this.store = store;
  }

  public void mount(Router router) {
    router.post("/api/cline/import").handler(ctx -> JsonReply.reply(ctx, this::importNow));
    router.get("/api/cline/usage").handler(ctx -> JsonReply.reply(ctx, this::usage));
    router.get("/api/cline/status").handler(ctx -> JsonReply.reply(ctx, this::status));
  }

  private Future<JsonObject> importNow(RoutingContext ctx) {
    return importer.importNow().compose(report -> store.count().map(tasks -> report.toJson().put("tasks", tasks)));
  }

  private Future<JsonObject> usage(RoutingContext ctx) {
    long from = QueryParams.time(ctx, "from", 0);
    long to = QueryParams.time(ctx, "to", Long.MAX_VALUE);
    return store.usage(from, to).map(usage -> {
      JsonArray days = new JsonArray();
      usage.byDay().forEach(g -> days.add(new JsonObject().put("day", g.key()).mergeIn(g.toJson())));
      JsonArray models = new JsonArray();
      for (ClineUsageGroup g : usage.byModel()) {
        models.add(new JsonObject().put("model", g.key()).put("provider", g.provider()).mergeIn(g.toJson()));
      }
      return new JsonObject()
          .put("from", from == 0 ? null : from)
          .put("to", to == Long.MAX_VALUE ? null : to)
          .put("total", usage.total().toJson())
          .put("by_day", days)
          .put("by_model", models);
    });
  }

  private Future<JsonObject> status(RoutingContext ctx) {
    return importer.status().compose(status -> store.count().map(tasks -> new JsonObject()
        .put("path", status.config().path().toString())
        .put("enabled", status.config().enabled())
        .put("exists", status.file() != SourceFile.Kind.MISSING)
        .put("file", status.file().name().toLowerCase(Locale.ROOT))
        .put("poll_s", status.config().pollMs() / 1000.0)
        .put("last_check", status.lastCheckMs())
        .put("last_import", status.lastImport() == null ? null : status.lastImport().toJson())
        .put("last_error", status.lastError())
        .put("last_error_at", status.lastErrorMs())
        .put("tasks", tasks)));
  }
}
