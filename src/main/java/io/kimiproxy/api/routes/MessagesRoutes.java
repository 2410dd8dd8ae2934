package io.kimiproxy.api.routes;

import io.kimiproxy.api.chat.ChatPipeline;
import io.kimiproxy.config.ProxyConfig;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.http.ErrorReplies;
import io.kimiproxy.core.http.RequestBodies;
import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.core.tokens.PromptWork;
import io.kimiproxy.proxy.inbound.messages.MessagesFormat;
import io.kimiproxy.proxy.routing.ContextModels;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Anthropic's Messages API, for Claude Code: {@code POST /v1/messages} through the chat pipeline,
 * {@code POST /v1/messages/count_tokens} counted here (Claude Code asks often; no provider is
 * called and nothing is recorded), and {@code GET /v1/models} in Anthropic's list shape when the
 * request carries {@code anthropic-version}. Errors on these paths, the guard's included, are in
 * Anthropic's shape.
 */
public final class MessagesRoutes {
  private static final String PATHS = "/v1/messages*";

  private final ProxyConfig config;
  private final MessagesFormat format;
  private final PromptWork work;
  private final ContextModels models;
  private final String startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();

  public MessagesRoutes(ProxyConfig config, MessagesFormat format, PromptWork work) {
    this.config = config;
    this.format = format;
    this.work = work;
    this.models = new ContextModels(config.models(), config.compaction());
  }

  /** Mounted before the guard: whatever refuses a Messages request, the refusal is in Anthropic's shape. */
  public void shapeErrors(Router router) {
    BiConsumer<HttpServerResponse, ProxyError> shape = format::sendError;
    router.route(PATHS).handler(ctx -> {
      ctx.put(ErrorReplies.SHAPE, shape);
      ctx.next();
    });
  }

  public void mount(Router router, ChatPipeline chat) {
    long maxBody = config.server().maxBodyBytes();
    router.post("/v1/messages").handler(RequestBodies.upTo(maxBody)).handler(ctx -> chat.handle(ctx, format));
    router.post("/v1/messages/count_tokens").handler(RequestBodies.upTo(maxBody)).handler(this::countTokens);
    router.get("/v1/models").handler(ctx -> {
      if (ctx.request().getHeader("anthropic-version") == null) ctx.next(); else ctx.json(models());
    });
  }

  /** The prompt's tokens as the proxy counts them for the model it would route to: fast, and never a 404. */
  private void countTokens(RoutingContext ctx) {
    Future.succeededFuture()
        .compose(v -> {
          ChatRequest request = format.decode(ctx.body().buffer(), ctx.request().headers());
          return work.count(models.countingName(request.model()), request.messages(), request.tools());
        })
        .onSuccess(count -> ctx.json(new JsonObject().put("input_tokens", count.total())))
        .onFailure(failure -> format.sendError(ctx.response(), ErrorReplies.asProxyError(failure)));
  }

  /** The names a client may ask for: the mapped Claude names first, then every alias. */
  private JsonObject models() {
    Set<String> ids = new LinkedHashSet<>();
    config.inbound().anthropic().models().keySet().forEach(name -> {
      if (name.indexOf('*') < 0) ids.add(name);
    });
    ids.addAll(config.models().keySet());
    ids.addAll(config.routing().candidates().keySet());
    JsonArray data = new JsonArray();
    ids.forEach(id -> data.add(new JsonObject().put("type", "model").put("id", id).put("display_name", id)
        .put("created_at", startedAt)));
    JsonObject list = new JsonObject().put("data", data).put("has_more", false);
    list.put("first_id", data.isEmpty() ? null : data.getJsonObject(0).getString("id"));
    list.put("last_id", data.isEmpty() ? null : data.getJsonObject(data.size() - 1).getString("id"));
    return list;
  }
}
