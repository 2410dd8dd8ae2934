package io.kimiproxy.features.compaction;

import io.kimiproxy.core.http.JsonReply;
import io.kimiproxy.core.http.QueryParams;
import io.kimiproxy.features.contextmap.ContextStore;
import io.kimiproxy.core.error.ProxyError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Compaction on demand: {@code POST /api/compaction/{session}/preview} (what it would do, changes
 * nothing), {@code POST /api/compaction/{session}} (runs on the session's next request) and
 * {@code GET /api/compaction/{session}/history}.
 */
public final class CompactionRoutes {
  private final Compactor compactor;
  private final ContextStore contexts;

  public CompactionRoutes(Compactor compactor, ContextStore contexts) {
    this.compactor = compactor;
    this.contexts = contexts;
  }

  public void mount(Router router) {
    router.post("/api/compaction/:session/preview").handler(ctx -> JsonReply.reply(ctx, this::preview));
    router.post("/api/compaction/:session").handler(ctx -> JsonReply.reply(ctx, this::request));
    router.get("/api/compaction/:session/history").handler(ctx -> JsonReply.reply(ctx, this::history));
  }

  private Future<JsonObject> preview(RoutingContext ctx) {
    String session = ctx.pathParam("session");
    JsonObject preview = compactor.preview(session);
    if (preview == null) {
      return Future.failedFuture(ProxyError.notFound("session_not_found",
          "Session '" + session + "' has sent no request since the proxy started: a preview needs its latest history."));
    }
    return Future.succeededFuture(preview);
  }

  private Future<JsonObject> request(RoutingContext ctx) {
    String session = ctx.pathParam("session");
    if (!compactor.enabled()) {
      return Future.failedFuture(ProxyError.of(409, "invalid_request_error", "compaction_disabled",
          "Compaction is off ([compaction] enabled = false)."));
    }
    return contexts.latest(session).compose(map -> map == null
        ? Future.failedFuture(ProxyError.notFound("session_not_found", "No session with id '" + session + "'."))
        : compactor.requestCompaction(session).map(v -> {
          ctx.response().setStatusCode(202);
          return new JsonObject().put("session", session).put("pending", true);
        }));
  }

  private Future<JsonObject> history(RoutingContext ctx) {
    String session = ctx.pathParam("session");
    int limit = QueryParams.integer(ctx, "limit", 50, 1, 1000);
    return compactor.history(session, limit).map(records -> {
      JsonArray data = new JsonArray();
      records.forEach(r -> data.add(r.toJson()));
      return new JsonObject().put("session", session).put("data", data);
    });
  }
}
