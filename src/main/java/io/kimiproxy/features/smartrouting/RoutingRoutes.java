package io.kimiproxy.features.smartrouting;

import io.kimiproxy.core.http.JsonReply;
import io.kimiproxy.core.http.QueryParams;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** Smart routing's history: {@code GET /api/routing/decisions?alias=&limit=}, newest first. */
public final class RoutingRoutes {
  private final RoutingDecisionStore store;

  public RoutingRoutes(RoutingDecisionStore store) {
    this.store = store;
  }

  public void mount(Router router) {
    router.get("/api/routing/decisions").handler(ctx -> JsonReply.reply(ctx, this::decisions));
  }

  private Future<JsonObject> decisions(RoutingContext ctx) {
    int limit = QueryParams.integer(ctx, "limit", 100, 1, 1000);
    String alias = ctx.queryParams().get("alias");
    return store.latest(alias == null || alias.isBlank() ? null : alias, limit).map(rows -> {
      JsonArray data = new JsonArray();
      rows.forEach(r -> data.add(r.toJson()));
      return new JsonObject().put("object", "list").put("data", data);
    });
  }
}
