package io.kimiproxy.core.db;

import static io.kimiproxy.testing.TestProxy.await;

import io.kimiproxy.core.ledger.RequestRecord;
import io.kimiproxy.core.ledger.RequestSteps;
import io.kimiproxy.core.model.Usage;
import io.kimiproxy.features.cache.CacheBodies;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * The repository suite's fixture: a fresh, migrated database of one engine per test. The contract
 * interfaces ({@link LedgerContract}, {@link FeatureStoresContract}, {@link CacheStoreContract})
 * hold the tests; {@link SqliteStoresTest} and {@link PostgresStoresTest} run every one of them.
 */
interface StorageUnderTest {
  long DAY = 86_400_000L;

  Storage storage();

  Vertx vertx();

  /** Where this engine keeps cached answers. */
  CacheBodies cacheBodies();

  default void append(RequestRecord... rows) {
    await(storage().ledger().append(List.of(rows)));
  }

  /** A client's chat request, answered 200 by provider "p" unless said otherwise. */
  static RequestRecord chat(String id, String session, long ts, long prompt, long completion, double cost) {
    return row(id, null, session, ts, "p", 200, new Usage(prompt, completion, 0, 0), cost, "alice", false);
  }

  static RequestRecord row(String id, String parentId, String session, long ts, String provider, int status,
                           Usage usage, double cost, String clientKey, boolean cacheHit) {
    return new RequestRecord(id, parentId, parentId == null ? 1 : 2, "chat", ts, session, "cline", "m/" + provider,
        provider, provider == null ? null : "upstream", true, status, status >= 400 ? "rate_limit_error" : null,
        status >= 400 ? "rate_limit_exceeded" : null, status >= 400 ? "slow down" : null, usage, false, cost, 120,
        status >= 400 ? null : 40L, 1000, clientKey, cacheHit, cacheHit ? 0.25 : 0.0, "chat",
        status >= 400 ? null : new RequestSteps(3, 1, 2, 40, 0, 1));
  }
}
