package io.kimiproxy.api.routes;

import io.kimiproxy.config.ModelConfig;
import io.kimiproxy.config.ProviderConfig;
import io.kimiproxy.config.ProxyConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.List;

/** {@code GET /v1/models} in OpenAI's list shape, and {@code GET /health}. */
public final class ModelRoutes {
  private final ProxyConfig config;
  private final long startedAtSeconds;

  /** @param startedAtMs when the server started: a configuration reload builds new routes, not a new server */
  public ModelRoutes(ProxyConfig config, long startedAtMs) {
    this.config = config;
    this.startedAtSeconds = startedAtMs / 1000;
  }

  public void mount(Router router) {
    JsonObject models = models();
    router.get("/v1/models").handler(ctx -> ctx.json(models));
    router.get("/models").handler(ctx -> ctx.json(models));
    router.get("/health").handler(ctx -> ctx.json(new JsonObject()
        .put("status", "ok")
        .put("uptime_s", System.currentTimeMillis() / 1000 - startedAtSeconds)
        .put("providers", providers())));
  }

  private JsonObject models() {
    JsonArray data = new JsonArray();
    for (ModelConfig m : config.models().values()) {
      ProviderConfig provider = config.providers().get(m.provider());
      data.add(new JsonObject()
          .put("id", m.alias())
          .put("object", "model")
          .put("created", startedAtSeconds)
          .put("owned_by", m.provider())
          .put("context_length", m.maxContext())
          .put("upstream_model", m.upstreamModel())
          .put("configured", provider.configured()));
    }
    config.routing().candidates().forEach((alias, candidates) -> data.add(smart(alias, candidates)));
    return new JsonObject().put("object", "list").put("data", data);
  }

  /**
   * A smart alias, so that clients picking from this list can find it: its window is the largest
   * candidate's (the most it can take), and it is usable when any candidate's provider has a key.
   */
  private JsonObject smart(String alias, List<String> candidates) {
    long window = 0;
    boolean configured = false;
    for (String name : candidates) {
      ModelConfig m = config.models().get(name);
      window = Math.max(window, m.maxContext());
      configured |= config.providers().get(m.provider()).configured();
    }
    return new JsonObject()
        .put("id", alias)
        .put("object", "model")
        .put("created", startedAtSeconds)
        .put("owned_by", "kimi-proxy")
        .put("context_length", window)
        .put("candidates", new JsonArray(candidates))
        .put("configured", configured);
  }

  private JsonObject providers() {
    JsonObject out = new JsonObject();
    config.providers().values().forEach(p -> out.put(p.name(), p.configured() ? "configured" : "not configured"));
    return out;
  }
}
