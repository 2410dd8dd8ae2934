package io.kimiproxy.api.wiring;

import io.kimiproxy.config.PostgresConfig;
import io.kimiproxy.config.ProxyConfig;
import io.kimiproxy.config.SharedConfig;
import io.kimiproxy.core.db.Database;
import io.kimiproxy.core.db.PgDatabase;
import io.kimiproxy.core.db.Storage;
import io.kimiproxy.core.ledger.LedgerStore;
import io.kimiproxy.core.ledger.LedgerWriter;
import io.kimiproxy.core.shared.RedisLink;
import io.kimiproxy.core.tokens.TokenCounter;
import io.kimiproxy.core.util.InternalCalls;
import io.kimiproxy.core.util.SecretScrubber;
import io.kimiproxy.proxy.upstream.UpstreamClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * What every feature of the proxy shares: the database and ledger, the upstream client, tokens,
 * secrets, and in team mode the link to the team's Redis ({@code redis}, null when solo).
 */
public record Foundation(Vertx vertx, ProxyConfig config, Storage storage, LedgerStore store, LedgerWriter ledger,
                         UpstreamClient upstream, TokenCounter tokens, SecretScrubber scrubber, InternalCalls internal,
                         SelfAddress self, MemoryBudget memory, RedisLink redis) {
  private static final long LEDGER_FLUSH_MS = 25;
  private static final int LEDGER_MAX_QUEUED = 100_000;

  /** The same shared parts under another configuration (a reload). */
  public Foundation withConfig(ProxyConfig next) {
    return new Foundation(vertx, next, storage, store, ledger, upstream, tokens, new SecretScrubber(next.secrets()),
        internal, self, memory, redis);
  }

  /** The SQLite file, or the team's PostgreSQL when [storage] says so; its schema brought up to date. */
  public static Future<Storage> openStorage(Vertx vertx, ProxyConfig config) {
    PostgresConfig postgres = config.postgres();
    return postgres == null ? Database.open(vertx, config.databaseFile()).map(Storage.class::cast)
        : PgDatabase.open(vertx, postgres.url().reveal(), postgres.poolSize()).map(Storage.class::cast);
  }

  public static Foundation create(Vertx vertx, ProxyConfig config, Storage storage, TokenCounter tokens,
                                  MemoryBudget memory) {
    LedgerStore store = storage.ledger();
    SharedConfig shared = config.shared();
    RedisLink redis = shared == null ? null : new RedisLink(vertx, shared.redisUrl(), shared.timeoutMs());
    return new Foundation(vertx, config, storage, store,
        new LedgerWriter(vertx, store, storage::unavailable, LEDGER_FLUSH_MS, LEDGER_MAX_QUEUED), new UpstreamClient(vertx), tokens,
        new SecretScrubber(config.secrets()), InternalCalls.random(), new SelfAddress(config.server().host()), memory,
        redis);
  }
}
