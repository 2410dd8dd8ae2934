package io.kimiproxy.features.sanitizer;

import io.kimiproxy.core.db.Outage;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * The sanitizer's store as requests use it: while the database is unreachable, masked originals
 * and counts are not kept (the request is still redacted and masked).
 */
public final class OutageSanitizerStore implements SanitizerStore {
  private final SanitizerStore store;
  private final Outage outage;

  public OutageSanitizerStore(SanitizerStore store, Outage outage) {
    this.store = store;
    this.outage = outage;
  }

  @Override
  public Future<Void> saveMasks(List<MaskedOutput> masks) {
    return outage.write(store.saveMasks(masks), "masked originals");
  }

  @Override
  public Future<MaskedOutput> mask(String hash) {
    return store.mask(hash);
  }

  @Override
  public Future<Void> addCounts(String sessionId, SanitizerCounts counts) {
    return outage.write(store.addCounts(sessionId, counts), "sanitizer counts");
  }

  @Override
  public Future<SanitizerCounts> totals() {
    return store.totals();
  }

  @Override
  public Future<Map<String, SanitizerCounts>> bySession(int limit) {
    return store.bySession(limit);
  }
}
