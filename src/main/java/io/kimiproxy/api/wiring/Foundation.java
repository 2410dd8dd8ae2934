package io.kimiproxy.api.wiring;

import io.kimiproxy.config.ProxyConfig;
import io.kimiproxy.core.db.Database;
import io.kimiproxy.core.db.SqliteLedgerStore;
import io.kimiproxy.core.ledger.LedgerStore;
import io.kimiproxy.core.ledger.LedgerWriter;
import io.kimiproxy.core.tokens.TokenCounter;
import io.kimiproxy.core.util.InternalCalls;
import io.kimiproxy.core.util.SecretScrubber;
import io.kimiproxy.proxy.upstream.UpstreamClient;
import io.vertx.core.Vertx;

/** What every feature of the proxy shares: the database and ledger, the upstream client, tokens, secrets. */
public record Foundation(Vertx vertx, ProxyConfig config, Database database, LedgerStore store, LedgerWriter ledger,
                         UpstreamClient upstream, TokenCounter tokens, SecretScrubber scrubber, InternalCalls internal,
                         SelfAddress self, MemoryBudget memory) {
  private static final long LEDGER_FLUSH_MS = 25;
  private static final int LEDGER_MAX_QUEUED = 100_000;

  /** The same shared parts under another configuration (a reload). */
  public Foundation withConfig(ProxyConfig next) {
    return new Foundation(vertx, next, database, store, ledger, upstream, tokens, new SecretScrubber(next.secrets()),
        internal, self, memory);
  }

  public static Foundation create(Vertx vertx, ProxyConfig config, Database database, TokenCounter tokens,
                                  MemoryBudget memory) {
    LedgerStore store = new SqliteLedgerStore(database.pool());
    return new Foundation(vertx, config, database, store,
        new LedgerWriter(vertx, store, LEDGER_FLUSH_MS, LEDGER_MAX_QUEUED), new UpstreamClient(vertx), tokens,
        new SecretScrubber(config.secrets()), InternalCalls.random(), new SelfAddress(config.server().host()), memory);
  }
}
