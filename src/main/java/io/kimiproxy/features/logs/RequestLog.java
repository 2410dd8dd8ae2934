package io.kimiproxy.features.logs;

import io.kimiproxy.core.ledger.LedgerWriter;
import io.kimiproxy.core.ledger.RequestRecord;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One line per request and one per earlier attempt (a retry or a fallback), from the ledger rows
 * as they are recorded: the log counts exactly what the ledger counts, and the pipeline holds no
 * logging of its own. Identifiers and numbers only: no prompt, no answer, no error message (a
 * provider may quote the prompt in it), no key.
 */
public final class RequestLog {
  static final String LOGGER = "io.kimiproxy.requests";
  private static final Logger LOG = Logger.getLogger(LOGGER);

  public void watch(LedgerWriter ledger) {
    ledger.observe(this::record);
  }

  void record(RequestRecord row) {
    boolean attempt = row.parentId() != null;
    Level level = row.status() >= 500 ? Level.WARNING : Level.INFO;
    if (!LOG.isLoggable(level)) return;
    LogLine line = LogLine.of(attempt ? "retry" : "request")
        .with("id", attempt ? row.parentId() : row.id())
        .with("session", row.sessionId())
        .with("client", row.client())
        .with("kind", row.kind())
        .with("api", row.api())
        .with("model", row.provider() == null ? "unresolved" : row.modelAlias())
        .with("provider", row.provider())
        .with("status", row.status())
        .with("error", row.errorType())
        .with("code", row.errorCode())
        .with(attempt ? "attempt" : "attempts", row.attempt());
    if (attempt) {
      line.with("total_ms", row.latencyMs());
    } else {
      line.with("prompt_tokens", row.usage().promptTokens())
          .with("completion_tokens", row.usage().completionTokens())
          .with("tokens_estimated", row.tokensEstimated())
          .with("cost_usd", row.costUsd())
          .with("cache_hit", row.cacheHit())
          .with("queue_ms", row.steps() == null ? null : row.steps().queueMs())
          .with("ttfb_ms", row.ttfbMs())
          .with("total_ms", row.latencyMs());
    }
    LOG.log(line.record(level, LOGGER));
  }
}
