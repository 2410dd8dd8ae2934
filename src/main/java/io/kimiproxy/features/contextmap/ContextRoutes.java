package io.kimiproxy.features.contextmap;

import io.kimiproxy.core.http.JsonReply;
import io.kimiproxy.core.error.ProxyError;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;

/** {@code GET /api/sessions/{id}/context-map}: where the tokens of the session's latest request went. */
public final class ContextRoutes {
  private final ContextStore store;

  public ContextRoutes(ContextStore store) {
    this.store = store;
  }

  public void mount(Router router) {
    router.get("/api/sessions/:id/context-map").handler(ctx -> JsonReply.reply(ctx, c -> {
      String id = c.pathParam("id");
      return store.latest(id).compose(map -> map == null
          ? Future.failedFuture(ProxyError.notFound("context_map_not_found", "No context map for session '" + id + "' yet."))
          : Future.succeededFuture(map.toJson()));
    }));
  }
}
