package io.kimiproxy.features.clients;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/** {@code GET /api/clients}: the client monitor's view, in OpenAI's list shape. */
public final class ClientRoutes {
  private final ClientMonitor monitor;

  public ClientRoutes(ClientMonitor monitor) {
    this.monitor = monitor;
  }

  public void mount(Router router) {
    router.get("/api/clients").handler(ctx -> {
      JsonArray data = new JsonArray();
      monitor.clients().forEach(c -> data.add(c.toJson()));
      ctx.json(new JsonObject().put("object", "list").put("data", data));
    });
  }
}
