package io.kimiproxy.features.sanitizer;

import io.kimiproxy.core.http.JsonReply;
import io.kimiproxy.core.http.RequestBodies;
import io.kimiproxy.core.error.ProxyError;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The sanitizer at runtime: {@code POST /api/sanitizer/toggle} (body {@code {"enabled":bool}}
 * sets, no body flips), {@code GET /api/sanitizer/stats}, and {@code GET /api/mask/{hash}} to read
 * a masked output back.
 */
public final class SanitizerRoutes {
  private static final int SESSIONS_LISTED = 100;
  private static final long MAX_TOGGLE_BODY = 1024;

  private final Sanitizer sanitizer;
  private final SanitizerStore store;

  public SanitizerRoutes(Sanitizer sanitizer, SanitizerStore store) {
    this.sanitizer = sanitizer;
    this.store = store;
  }

  public void mount(Router router) {
    router.post("/api/sanitizer/toggle").handler(RequestBodies.upTo(MAX_TOGGLE_BODY))
        .handler(ctx -> JsonReply.reply(ctx, this::toggle));
    router.get("/api/sanitizer/stats").handler(ctx -> JsonReply.reply(ctx, c -> stats()));
    router.get("/api/mask/:hash").handler(ctx -> JsonReply.reply(ctx, this::mask));
  }

  private Future<JsonObject> toggle(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    Boolean target = null;
    if (body != null && body.length() > 0) {
      Object enabled;
      try {
        enabled = body.toJsonObject().getValue("enabled");
      } catch (RuntimeException e) {
        throw ProxyError.invalidRequest("The body must be a JSON object like {\"enabled\": true}, or empty to flip.", "enabled");
      }
      if (!(enabled instanceof Boolean b)) throw ProxyError.invalidRequest("'enabled' must be true or false.", "enabled");
      target = b;
    }
    return Future.succeededFuture(new JsonObject().put("enabled", sanitizer.toggle(target)));
  }

  private Future<JsonObject> stats() {
    return store.totals().compose(totals -> store.bySession(SESSIONS_LISTED).map(sessions -> {
      JsonObject bySession = new JsonObject();
      sessions.forEach((id, counts) -> bySession.put(id, counts.toJson()));
      return totals.toJson().put("enabled", sanitizer.enabled()).put("by_session", bySession);
    }));
  }

  private Future<JsonObject> mask(RoutingContext ctx) {
    String hash = ctx.pathParam("hash");
    return store.mask(hash).compose(mask -> mask == null
        ? Future.failedFuture(ProxyError.notFound("mask_not_found", "No masked output 'kp:mask/" + hash + "'."))
        : Future.succeededFuture(new JsonObject().put("hash", mask.hash()).put("session", mask.sessionId())
            .put("created", mask.createdMs()).put("tokens", mask.tokens()).put("content", mask.content())));
  }
}
