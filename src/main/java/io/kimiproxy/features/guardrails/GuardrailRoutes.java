package io.kimiproxy.features.guardrails;

import io.kimiproxy.core.http.JsonReply;
import io.kimiproxy.core.http.QueryParams;
import io.kimiproxy.core.http.RequestBodies;
import io.kimiproxy.core.error.ErrorType;
import io.kimiproxy.core.error.ProxyError;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The tool-call guardrails' API: the rules ({@code GET}, {@code PUT /api/guardrails/rules}), the
 * switch ({@code POST /api/guardrails/toggle}), the history ({@code GET /api/guardrails/actions})
 * and its counts ({@code GET /api/guardrails/stats}). A body that is not what it should be is
 * answered 422 in OpenAI's error shape, its message naming the field.
 */
public final class GuardrailRoutes {
  private static final String RULES = "invalid_guardrail_rules";
  private static final String TOGGLE = "invalid_guardrail_toggle";
  private final Guardrails guardrails;
  private final long maxBodyBytes;

  public GuardrailRoutes(Guardrails guardrails, long maxBodyBytes) {
    this.guardrails = guardrails;
    this.maxBodyBytes = maxBodyBytes;
  }

  public void mount(Router router) {
    router.get("/api/guardrails/rules").handler(ctx -> JsonReply.reply(ctx, c -> Future.succeededFuture(rules())));
    router.put("/api/guardrails/rules").handler(RequestBodies.upTo(maxBodyBytes))
        .handler(ctx -> JsonReply.reply(ctx, this::replaceRules));
    router.post("/api/guardrails/toggle").handler(RequestBodies.upTo(maxBodyBytes))
        .handler(ctx -> JsonReply.reply(ctx, this::toggle));
    router.get("/api/guardrails/actions").handler(ctx -> JsonReply.reply(ctx, this::actions));
    router.get("/api/guardrails/stats").handler(ctx -> JsonReply.reply(ctx, this::stats));
  }

  private JsonObject rules() {
    return RulesJson.toJson(guardrails.config());
  }

  private Future<JsonObject> replaceRules(RoutingContext ctx) {
    JsonObject body = jsonBody(ctx, false, RULES);
    try {
      guardrails.update(current -> RulesJson.merge(current, body));
    } catch (IllegalArgumentException e) {
      throw invalid(RULES, e.getMessage());
    }
    return Future.succeededFuture(rules());
  }

  /** {@code {"enabled": true|false}} sets the switch; an empty body flips it. */
  private Future<JsonObject> toggle(RoutingContext ctx) {
    JsonObject body = jsonBody(ctx, true, TOGGLE);
    Object wanted = body.getValue("enabled");
    if (body.size() > 1 || (!body.isEmpty() && !(wanted instanceof Boolean))) {
      throw invalid(TOGGLE, "the body must be empty (to flip the switch) or {\"enabled\": true|false}");
    }
    boolean on = guardrails.update(c -> c.withEnabled(wanted instanceof Boolean b ? b : !c.enabled())).enabled();
    return Future.succeededFuture(new JsonObject().put("enabled", on));
  }

  private Future<JsonObject> actions(RoutingContext ctx) {
    int limit = QueryParams.integer(ctx, "limit", 100, 1, 1000);
    return guardrails.actions(session(ctx), limit).map(rows -> {
      JsonArray data = new JsonArray();
      rows.forEach(r -> data.add(r.toJson()));
      return new JsonObject().put("object", "list").put("data", data);
    });
  }

  private Future<JsonObject> stats(RoutingContext ctx) {
    return guardrails.stats(session(ctx));
  }

  private static String session(RoutingContext ctx) {
    String session = ctx.queryParams().get("session");
    return session == null || session.isBlank() ? null : session;
  }

  private static JsonObject jsonBody(RoutingContext ctx, boolean emptyAllowed, String code) {
    Buffer raw = ctx.body().buffer();
    if (raw == null || raw.toString().isBlank()) {
      if (emptyAllowed) return new JsonObject();
      throw invalid(code, "the body must be a JSON object");
    }
    try {
      return raw.toJsonObject();
    } catch (RuntimeException e) {
      throw invalid(code, "the body must be a JSON object");
    }
  }

  private static ProxyError invalid(String code, String message) {
    return ProxyError.of(422, ErrorType.INVALID_REQUEST, code, message);
  }
}
