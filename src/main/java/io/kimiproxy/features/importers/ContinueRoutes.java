package io.kimiproxy.features.importers;

import io.kimiproxy.core.http.JsonReply;
import io.kimiproxy.core.http.QueryParams;
import io.kimiproxy.core.ledger.LedgerStore;
import io.kimiproxy.core.ledger.LedgerWriter;
import io.kimiproxy.core.ledger.UsageGroup;
import io.kimiproxy.core.ledger.UsageGrouping;
import io.kimiproxy.core.model.ClientKind;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * {@code GET /api/continue/usage}: what Continue's own log reports, and beside it what the ledger
 * recorded for Continue over the same period (since the proxy started following the log).
 */
public final class ContinueRoutes {
  private final ContinueImporter importer;
  private final LedgerStore store;
  private final LedgerWriter writer;

  public ContinueRoutes(ContinueImporter importer, LedgerStore store, LedgerWriter writer) {
    this.importer = importer;
    this.store = store;
    this.writer = writer;
  }

  public void mount(Router router) {
    router.get("/api/continue/usage").handler(ctx -> JsonReply.reply(ctx, this::usage));
  }

  private Future<JsonObject> usage(RoutingContext ctx) {
    int limit = QueryParams.integer(ctx, "limit", 20, 1, 200);
    ContinueImporter.Snapshot log = importer.snapshot(limit);
    long to = System.currentTimeMillis() + 1;
    String continueLabel = ClientKind.CONTINUE.label();
    return writer.flush().compose(v -> store.usage(log.startedAtMs(), to, UsageGrouping.CLIENT)).map(groups -> {
      UsageGroup proxy = groups.stream().filter(g -> g.key().equals(continueLabel)).findFirst()
          .orElse(new UsageGroup(continueLabel, 0, 0, 0, 0, 0, 0, 0, 0));
      JsonArray entries = new JsonArray();
      for (ContinueEntry e : log.recent()) {
        entries.add(new JsonObject().put("ts", e.timestampMs()).put("prompt_tokens", e.promptTokens())
            .put("completion_tokens", e.completionTokens()).put("context_length", e.contextLength()));
      }
      return new JsonObject()
          .put("path", log.config().path().toString())
          .put("enabled", log.config().enabled())
          .put("exists", log.file() == null ? null : log.file() != SourceFile.Kind.MISSING)
          .put("file", log.file() == null ? null : log.file().name().toLowerCase(Locale.ROOT))
          .put("totals", totals(log.total()).put("last_context_length", log.lastContextLength()))
          .put("comparison", new JsonObject()
              .put("from", log.startedAtMs())
              .put("to", to)
              .put("log", totals(log.sinceStart()))
              .put("proxy", new JsonObject().put("client", continueLabel).put("requests", proxy.requests())
                  .put("errors", proxy.errors()).put("prompt_tokens", proxy.promptTokens())
                  .put("completion_tokens", proxy.completionTokens()).put("cost_usd", proxy.costUsd())))
          .put("entries", entries)
          .put("follower", new JsonObject().put("offset", log.offset()).put("rotations", log.rotations())
              .put("truncations", log.truncations()).put("last_read", log.lastReadMs()).put("last_error", log.lastError()));
    });
  }

  private static JsonObject totals(ContinueImporter.Totals t) {
    return new JsonObject().put("requests", t.requests()).put("prompt_tokens", t.promptTokens())
        .put("completion_tokens", t.completionTokens());
  }
}
