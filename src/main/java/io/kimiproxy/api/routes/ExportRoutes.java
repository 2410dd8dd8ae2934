package io.kimiproxy.api.routes;

import io.kimiproxy.core.http.QueryParams;
import io.kimiproxy.core.http.ErrorReplies;
import io.kimiproxy.core.ledger.LedgerStore;
import io.kimiproxy.core.ledger.LedgerWriter;
import io.kimiproxy.core.ledger.RequestQuery;
import io.kimiproxy.core.ledger.RequestRecord;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;

/**
 * Ledger exports as CSV or JSON, of one session ({@code ?session=}) or a time range
 * ({@code ?from=&to=}). Rows are read a page at a time and written as the client takes them,
 * so an export of any size holds one page in memory.
 */
public final class ExportRoutes {
  private static final int PAGE = 500;

  private final LedgerStore store;
  private final LedgerWriter writer;

  public ExportRoutes(LedgerStore store, LedgerWriter writer) {
    this.store = store;
    this.writer = writer;
  }

  public void mount(Router router) {
    router.get("/api/export/csv").handler(ctx -> export(ctx, Format.CSV));
    router.get("/api/export/json").handler(ctx -> export(ctx, Format.JSON));
  }

  private enum Format { CSV, JSON }

  private void export(RoutingContext ctx, Format format) {
    RequestQuery query;
    try {
      String session = ctx.queryParams().get("session");
      long to = QueryParams.time(ctx, "to", Long.MAX_VALUE);
      long from = QueryParams.time(ctx, "from", 0);
      query = session != null && !session.isBlank() ? RequestQuery.session(session) : RequestQuery.range(from, to);
    } catch (RuntimeException e) {
      ErrorReplies.send(ctx.response(), ErrorReplies.asProxyError(e));
      return;
    }
    HttpServerResponse response = ctx.response();
    String name = "kimi-proxy-requests-" + Instant.now().toString().replace(':', '-') + (format == Format.CSV ? ".csv" : ".json");
    response.setChunked(true)
        .putHeader("Content-Type", format == Format.CSV ? "text/csv; charset=utf-8" : "application/json")
        .putHeader("Content-Disposition", "attachment; filename=\"" + name + "\"");
    writer.flush()
        .compose(v -> {
          response.write(format == Format.CSV ? String.join(",", RequestRecord.FIELDS) + "\n" : "[");
          return pump(response, query, 0, format, true);
        })
        .onSuccess(v -> response.end(format == Format.CSV ? "" : "]\n"))
        .onFailure(e -> {
          if (!response.headWritten()) ErrorReplies.send(response, ErrorReplies.asProxyError(e));
          else response.reset();
        });
  }

  private Future<Void> pump(HttpServerResponse response, RequestQuery query, long afterSeq, Format format, boolean first) {
    if (response.closed()) return Future.succeededFuture();
    return store.requests(query, afterSeq, PAGE).compose(page -> {
      if (page.isEmpty()) return Future.succeededFuture();
      Buffer out = Buffer.buffer();
      boolean needComma = !first;
      for (RequestRecord row : page.rows()) {
        if (format == Format.CSV) {
          out.appendString(csvLine(row.toJson()));
        } else {
          if (needComma) out.appendString(",");
          out.appendString("\n").appendBuffer(row.toJson().toBuffer());
          needComma = true;
        }
      }
      response.write(out);
      return drained(response).compose(v -> pump(response, query, page.lastSeq(), format, false));
    });
  }

  private static Future<Void> drained(HttpServerResponse response) {
    if (!response.writeQueueFull()) return Future.succeededFuture();
    Promise<Void> promise = Promise.promise();
    response.drainHandler(v -> promise.tryComplete());
    response.closeHandler(v -> promise.tryComplete());
    return promise.future();
  }

  static String csvLine(JsonObject row) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < RequestRecord.FIELDS.size(); i++) {
      if (i > 0) line.append(',');
      Object value = row.getValue(RequestRecord.FIELDS.get(i));
      if (value == null) continue;
      String text = value.toString();
      if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0) {
        line.append('"').append(text.replace("\"", "\"\"")).append('"');
      } else {
        line.append(text);
      }
    }
    return line.append('\n').toString();
  }
}
