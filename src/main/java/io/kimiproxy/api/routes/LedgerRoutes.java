package io.kimiproxy.api.routes;

import io.kimiproxy.core.http.QueryParams;
import io.kimiproxy.core.http.ErrorReplies;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.ledger.LedgerStore;
import io.kimiproxy.core.ledger.LedgerWriter;
import io.kimiproxy.core.ledger.RequestQuery;
import io.kimiproxy.core.ledger.RequestRecord;
import io.kimiproxy.core.ledger.SessionSummary;
import io.kimiproxy.core.ledger.UsageGroup;
import io.kimiproxy.core.ledger.UsageGrouping;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import static io.kimiproxy.core.http.JsonReply.reply;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/**
 * Sessions and usage from the ledger. Each read first flushes the batched writer, so a client
 * sees its own request right after the answer, not a flush interval later.
 */
public final class LedgerRoutes {
  private static final long DAY_MS = 86_400_000L;
  private static final long MINUTE_MS = 60_000L;

  private final LedgerStore store;
  private final LedgerWriter writer;

  public LedgerRoutes(LedgerStore store, LedgerWriter writer) {
    this.store = store;
    this.writer = writer;
  }

  public void mount(Router router) {
    router.get("/api/sessions").handler(ctx -> reply(ctx, this::sessions));
    router.get("/api/sessions/:id").handler(ctx -> reply(ctx, this::session));
    router.get("/api/requests/:id").handler(ctx -> reply(ctx, this::request));
    router.get("/api/usage").handler(ctx -> reply(ctx, this::usage));
    router.get("/api/usage/timeline").handler(ctx -> reply(ctx, this::timeline));
    // The governance name for the same per-minute series (issue 6); one query serves both.
    router.get("/api/usage/trend").handler(ctx -> reply(ctx, this::timeline));
  }

  private Future<JsonObject> sessions(RoutingContext ctx) {
    int limit = QueryParams.integer(ctx, "limit", 100, 1, 1000);
    return writer.flush().compose(v -> store.sessions(limit)).map(list -> {
      JsonArray data = new JsonArray();
      list.forEach(s -> data.add(s.toJson()));
      return new JsonObject().put("object", "list").put("data", data);
    });
  }

  private Future<JsonObject> session(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    int limit = QueryParams.integer(ctx, "limit", 200, 1, 5000);
    return writer.flush().compose(v -> store.session(id)).compose(summary -> {
      if (summary == null) {
        return Future.failedFuture(ProxyError.notFound("session_not_found", "No session with id '" + id + "'."));
      }
      return store.latestRequests(RequestQuery.session(id), limit).map(rows -> withRequests(summary, rows));
    });
  }

  /**
   * One request as the client saw it (its own row) with every attempt it took, in order: the
   * earlier ones (retries, fallbacks) and its own row last. An attempt's id leads to its request.
   */
  private Future<JsonObject> request(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return writer.flush().compose(v -> store.requestWithAttempts(id)).compose(rows -> {
      RequestRecord own = rows.stream().filter(r -> r.id().equals(id)).findFirst().orElse(null);
      if (own == null) {
        return Future.failedFuture(ProxyError.notFound("request_not_found", "No request with id '" + id + "'."));
      }
      if (own.parentId() != null) return store.requestWithAttempts(own.parentId()).map(all -> withAttempts(own.parentId(), all));
      return Future.succeededFuture(withAttempts(id, rows));
    });
  }

  private static JsonObject withAttempts(String id, java.util.List<RequestRecord> rows) {
    JsonArray attempts = new JsonArray();
    JsonObject own = null;
    for (RequestRecord r : rows) {
      if (r.id().equals(id)) own = r.toJson();
      else attempts.add(r.toJson());
    }
    if (own == null) throw ProxyError.notFound("request_not_found", "No request with id '" + id + "'.");
    return own.put("attempts", attempts.add(own.copy()));
  }

  private static JsonObject withRequests(SessionSummary summary, java.util.List<RequestRecord> rows) {
    JsonArray list = new JsonArray();
    rows.forEach(r -> list.add(r.toJson()));
    return summary.toJson().put("requests", list);
  }

  private Future<JsonObject> usage(RoutingContext ctx) {
    long now = System.currentTimeMillis();
    long to = QueryParams.time(ctx, "to", now + 1);
    long from = QueryParams.time(ctx, "from", to - 30 * DAY_MS);
    String groupBy = ctx.queryParams().get("group_by");
    UsageGrouping grouping = UsageGrouping.parse(groupBy);
    if (grouping == null) {
      throw ProxyError.invalidRequest("'group_by' must be one of model, provider, client, day.", "group_by");
    }
    return writer.flush().compose(v -> store.usage(from, to, grouping)).map(groups -> {
      JsonArray data = new JsonArray();
      JsonObject total = new JsonObject();
      long requests = 0, prompt = 0, completion = 0;
      double cost = 0;
      for (UsageGroup g : groups) {
        data.add(g.toJson());
        requests += g.requests();
        prompt += g.promptTokens();
        completion += g.completionTokens();
        cost += g.costUsd();
      }
      total.put("requests", requests).put("prompt_tokens", prompt).put("completion_tokens", completion).put("cost_usd", cost);
      return new JsonObject().put("from", from).put("to", to).put("group_by", grouping.name().toLowerCase())
          .put("data", data).put("total", total);
    });
  }

  /** Per-minute usage of the last {@code minutes} minutes (the current one included), for the dashboard's chart. */
  private Future<JsonObject> timeline(RoutingContext ctx) {
    int minutes = QueryParams.integer(ctx, "minutes", 90, 1, 1440);
    String by = ctx.queryParams().get("by");
    UsageGrouping grouping = UsageGrouping.parse(by);
    if (grouping == null || grouping == UsageGrouping.DAY) {
      throw ProxyError.invalidRequest("'by' must be one of model, provider, client.", "by");
    }
    long now = System.currentTimeMillis();
    long from = (now / MINUTE_MS - (minutes - 1)) * MINUTE_MS;
    long to = now + 1;
    return writer.flush().compose(v -> store.timeline(from, to, MINUTE_MS, grouping)).map(points -> {
      JsonArray data = new JsonArray();
      points.forEach(p -> data.add(p.toJson()));
      return new JsonObject().put("from", from).put("to", to).put("bucket_ms", MINUTE_MS)
          .put("by", grouping.name().toLowerCase()).put("data", data);
    });
  }

}
