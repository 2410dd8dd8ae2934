package io.kimiproxy.features.cache;

import io.kimiproxy.testing.Requests;
import static io.kimiproxy.testing.TestProxy.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.config.CacheConfig;
import io.kimiproxy.core.db.Database;
import io.kimiproxy.core.db.Dialect;
import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.testing.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResponseCacheTest {
  private final Vertx vertx = TestVertx.create();
  private Path folder;
  private Database database;

  @BeforeEach
  void open() throws Exception {
    folder = Files.createTempDirectory("cache-test");
    database = await(Database.open(vertx, folder.resolve("db.sqlite")));
  }

  @AfterEach
  void close() {
    await(database.close());
    await(vertx.close());
  }

  private ResponseCache cache(long ttlMs, long thresholdBytes, int keep, long maxAgeMs) {
    return new ResponseCache(new CacheConfig(true, ttlMs, folder.resolve("cache"), 1 << 20, thresholdBytes, keep, maxAgeMs),
        new SqlCacheIndex(database.pool(), Dialect.SQLITE), new FileCacheBodies(vertx, folder.resolve("cache")));
  }

  private static CachedAnswer answer(String text) {
    String body = new JsonObject().put("choices", List.of(new JsonObject()
        .put("message", new JsonObject().put("role", "assistant").put("content", text)))).encode();
    return new CachedAnswer(false, body, List.of(), null, "m", "p", 10, 5, 0.001);
  }

  private static String key(int n) {
    return String.format("%064x", n);
  }

  @Test
  void should_store_on_disk_and_find_it_again_after_memory_is_lost() {
    ResponseCache first = cache(60_000, 1 << 30, 5, 86_400_000L);
    await(first.store(key(1), answer("forty-two"), "cline"));
    assertTrue(Files.exists(folder.resolve("cache").resolve(key(1) + ".json")));
    ResponseCache restarted = cache(60_000, 1 << 30, 5, 86_400_000L); // empty memory tier, same disk
    CachedAnswer found = await(restarted.lookup(key(1)));
    assertNotNull(found);
    assertEquals("forty-two", found.preview(200));
    assertNull(await(restarted.lookup(key(2))));
    JsonObject stats = await(restarted.stats());
    assertEquals(1, stats.getLong("hits"));
    assertEquals(1, stats.getLong("misses"));
    assertEquals(1, await(restarted.entries(10)).get(0).hits());
  }

  @Test
  void should_miss_an_expired_entry() {
    ResponseCache cache = cache(-1, 1 << 30, 5, 86_400_000L);
    await(cache.store(key(1), answer("old"), "cline"));
    assertNull(await(cache.lookup(key(1))));
  }

  @Test
  void should_clean_oldest_first_past_the_size_threshold_but_keep_the_newest() {
    ResponseCache cache = cache(60_000, 1 << 30, 3, 86_400_000L);
    for (int i = 0; i < 8; i++) await(cache.store(key(i), answer("answer " + i + " " + "x".repeat(1000)), "cline"));
    long one = await(cache.entries(1)).get(0).sizeBytes();
    ResponseCache small = cache(60_000, one * 2, 3, 86_400_000L); // room for 2 entries, but 3 are always kept
    CleanReport report = await(small.autoClean());
    assertEquals(5, report.forSize());
    assertEquals(3, report.entriesLeft());
    List<String> left = await(small.entries(10)).stream().map(e -> e.key()).toList();
    assertEquals(List.of(key(7), key(6), key(5)), left);
    assertFalse(Files.exists(folder.resolve("cache").resolve(key(0) + ".json")));
  }

  @Test
  void should_clean_entries_older_than_the_maximum_age() {
    ResponseCache cache = cache(60_000, 1 << 30, 0, 1);
    await(cache.store(key(1), answer("a"), "cline"));
    await(vertx.timer(5));
    CleanReport report = await(cache.autoClean());
    assertEquals(1, report.tooOld());
    assertEquals(0, report.entriesLeft());
  }

  @Test
  void should_delete_and_clear() {
    ResponseCache cache = cache(60_000, 1 << 30, 5, 86_400_000L);
    await(cache.store(key(1), answer("a"), "cline"));
    await(cache.store(key(2), answer("b"), "cline"));
    assertTrue(await(cache.delete(key(1))));
    assertFalse(await(cache.delete(key(1))));
    assertNull(await(cache.lookup(key(1))));
    await(cache.clear());
    assertNull(await(cache.lookup(key(2))));
    assertEquals(0, await(cache.stats()).getLong("entries"));
  }

  @Test
  void should_key_equal_requests_alike_whatever_the_key_order_and_transport_fields() {
    ChatRequest a = Requests.chat(new JsonObject("{\"model\":\"x\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream_options\":{\"include_usage\":true}}"));
    ChatRequest b = Requests.chat(new JsonObject("{\"messages\":[{\"content\":\"hi\",\"role\":\"user\"}],\"temperature\":0,\"model\":\"x\",\"user\":\"u1\"}"));
    ChatRequest c = Requests.chat(new JsonObject("{\"model\":\"x\",\"temperature\":0.7,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    assertEquals(CacheKey.of(a, "alias"), CacheKey.of(b, "alias"));
    ChatRequest decimal = Requests.chat(new JsonObject("{\"model\":\"x\",\"temperature\":0.0,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    assertEquals(CacheKey.of(a, "alias"), CacheKey.of(decimal, "alias"));
    assertFalse(CacheKey.of(a, "alias").equals(CacheKey.of(c, "alias")));
    assertFalse(CacheKey.of(a, "alias").equals(CacheKey.of(a, "other")));
    assertTrue(CacheKey.deterministic(a));
    assertFalse(CacheKey.deterministic(c));
    assertTrue(ResponseCache.validKey(CacheKey.of(a, "alias")));
    assertFalse(ResponseCache.validKey("../../etc/passwd"));
  }
}
