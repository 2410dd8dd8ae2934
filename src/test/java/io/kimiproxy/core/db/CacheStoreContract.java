package io.kimiproxy.core.db;

import static io.kimiproxy.testing.TestProxy.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kimiproxy.features.cache.CacheEntryMeta;
import io.kimiproxy.features.cache.CacheIndex;
import io.kimiproxy.features.cache.SqlCacheIndex;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The response cache's index and stored answers, and the database's maintenance, on every engine. */
interface CacheStoreContract extends StorageUnderTest {

  private CacheIndex index() {
    return new SqlCacheIndex(storage().pool(), storage().dialect());
  }

  private static CacheEntryMeta entry(String key, long created, long size) {
    return new CacheEntryMeta(key, created, created + 1000, size, "m", "cline", false, 10, 5, 0.001, "hello", 0, 0);
  }

  @Test
  default void should_order_cache_entries_by_creation_then_arrival() {
    await(index().put(entry("k1", 100, 10)));
    await(index().put(entry("k2", 100, 20)));
    await(index().put(entry("k0", 50, 30)));
    assertEquals(List.of("k2", "k1", "k0"), await(index().newest(10)).stream().map(CacheEntryMeta::key).toList());
    assertEquals(List.of("k0", "k1", "k2"), await(index().oldest(10)).stream().map(CacheEntryMeta::key).toList());
    await(index().put(entry("k1", 100, 40)));
    assertEquals(List.of("k1", "k2", "k0"), await(index().newest(10)).stream().map(CacheEntryMeta::key).toList());
    assertEquals(90L, await(index().totalBytes()));
    assertEquals(3L, await(index().count()));
  }

  @Test
  default void should_count_hits_and_forget_deleted_entries() {
    await(index().put(entry("k", 100, 10)));
    await(index().recordHit("k", 500));
    await(index().recordHit("k", 600));
    CacheEntryMeta hit = await(index().get("k"));
    assertEquals(2, hit.hits());
    assertEquals(600, hit.lastHitMs());
    await(index().delete("k"));
    assertNull(await(index().get("k")));
    await(index().put(entry("a", 1, 1)));
    await(index().clear());
    assertEquals(0L, await(index().count()));
  }

  @Test
  default void should_keep_cached_answers_until_deleted() {
    String key = "a".repeat(64);
    String other = "b".repeat(64);
    await(cacheBodies().write(key, Buffer.buffer("{\"answer\":1}")));
    await(cacheBodies().write(key, Buffer.buffer("{\"answer\":2}")));
    await(cacheBodies().write(other, Buffer.buffer("{}")));
    assertEquals("{\"answer\":2}", await(cacheBodies().read(key)).toString());
    await(cacheBodies().delete(key));
    assertNull(await(cacheBodies().read(key)));
    await(cacheBodies().clear());
    assertNull(await(cacheBodies().read(other)));
  }

  @Test
  default void should_prune_old_ledger_rows_and_idle_sessions() {
    long now = System.currentTimeMillis();
    append(StorageUnderTest.chat("old", "s-old", now - 10 * DAY, 1, 1, 0),
        StorageUnderTest.chat("new", "s-new", now, 1, 1, 0));
    Maintenance maintenance = storage().maintenance();
    assertEquals(1, await(maintenance.pruneRequests(now - 5 * DAY, 500)));
    assertEquals(0, await(maintenance.pruneRequests(now - 5 * DAY, 500)));
    assertEquals(1, await(maintenance.pruneSessions(now - 5 * DAY, 500)));
    assertEquals(1L, await(maintenance.probe()).getLong("ledger_rows"));
    await(maintenance.vacuum());
  }
}
