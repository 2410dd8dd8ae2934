package io.kimiproxy.features.agents;

import io.kimiproxy.core.http.JsonReply;
import io.kimiproxy.core.http.QueryParams;
import io.kimiproxy.core.http.RequestBodies;
import io.kimiproxy.core.http.ErrorReplies;
import io.kimiproxy.config.AgentConfig;
import io.kimiproxy.core.error.ProxyError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The agents API: the presets, starting a run (202 at once; the run goes on in the background)
 * and reading runs back. Every failure is answered in OpenAI's error shape.
 */
public final class AgentRoutes {
  private final AgentRunner runner;
  private final long maxBodyBytes;

  public AgentRoutes(AgentRunner runner, long maxBodyBytes) {
    this.runner = runner;
    this.maxBodyBytes = maxBodyBytes;
  }

  public void mount(Router router) {
    router.get("/api/agents").handler(ctx -> JsonReply.reply(ctx, c -> Future.succeededFuture(list())));
    router.get("/api/agents/:id/config").handler(ctx -> JsonReply.reply(ctx, c ->
        Future.succeededFuture(config(runner.preset(c.pathParam("id"))))));
    router.post("/api/agents/:id/run").handler(RequestBodies.upTo(maxBodyBytes)).handler(this::run);
    router.get("/api/agents/:id/status").handler(ctx -> JsonReply.reply(ctx, this::status));
    router.get("/api/agents/:id/runs").handler(ctx -> JsonReply.reply(ctx, this::runs));
    router.get("/api/agents/:id/runs/:runId").handler(ctx -> JsonReply.reply(ctx, c ->
        runner.find(c.pathParam("id"), c.pathParam("runId")).map(run -> run.toJson(System.currentTimeMillis()))));
  }

  private JsonObject list() {
    JsonArray data = new JsonArray();
    for (AgentConfig preset : runner.config().presets().values()) {
      data.add(new JsonObject().put("id", preset.id()).put("description", preset.description())
          .put("model", preset.model()).put("timeout_s", preset.timeoutMs() / 1000));
    }
    return new JsonObject().put("object", "list").put("data", data)
        .put("max_concurrent", runner.config().maxConcurrent()).put("max_queued", runner.config().maxQueued());
  }

  private static JsonObject config(AgentConfig preset) {
    return new JsonObject().put("id", preset.id()).put("description", preset.description())
        .put("model", preset.model()).put("system_prompt", preset.systemPrompt())
        .put("params", new JsonObject(preset.params()).copy()).put("timeout_s", preset.timeoutMs() / 1000);
  }

  private void run(RoutingContext ctx) {
    Future<AgentRun> accepted;
    try {
      String id = ctx.pathParam("id");
      runner.preset(id); // an unknown agent is a 404 before the body is judged
      accepted = runner.submit(id, AgentInput.parse(ctx.body().buffer()));
    } catch (RuntimeException e) {
      accepted = Future.failedFuture(e);
    }
    accepted
        .onSuccess(run -> ctx.response().setStatusCode(202)
            .putHeader("Location", "/api/agents/" + run.agentId() + "/runs/" + run.id())
            .putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("run_id", run.id()).put("status", run.status().label()).toBuffer()))
        .onFailure(e -> ErrorReplies.send(ctx.response(), ErrorReplies.asProxyError(e)));
  }

  private Future<JsonObject> status(RoutingContext ctx) {
    String runId = ctx.queryParams().get("run_id");
    if (runId == null || runId.isBlank()) {
      runner.preset(ctx.pathParam("id"));
      throw ProxyError.invalidRequest("'run_id' is required: /api/agents/<id>/status?run_id=<run id>.", "run_id");
    }
    return runner.find(ctx.pathParam("id"), runId).map(run -> run.statusJson(System.currentTimeMillis()));
  }

  private Future<JsonObject> runs(RoutingContext ctx) {
    int limit = QueryParams.integer(ctx, "limit", 20, 1, 200);
    return runner.list(ctx.pathParam("id"), limit).map(list -> {
      long now = System.currentTimeMillis();
      JsonArray data = new JsonArray();
      list.forEach(run -> data.add(run.summaryJson(now)));
      return new JsonObject().put("object", "list").put("data", data);
    });
  }
}
