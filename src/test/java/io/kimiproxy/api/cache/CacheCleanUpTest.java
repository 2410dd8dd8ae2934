package io.kimiproxy.api.cache;

import static io.kimiproxy.api.cache.CacheRequests.answer;
import static io.kimiproxy.api.cache.CacheRequests.awaitEntries;
import static io.kimiproxy.api.cache.CacheRequests.awaitEntry;
import static io.kimiproxy.api.cache.CacheRequests.body;
import static io.kimiproxy.api.cache.CacheRequests.chat;
import static io.kimiproxy.api.cache.CacheRequests.question;
import static io.kimiproxy.api.cache.CacheRequests.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.Stubs;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * POST /api/cache/auto-clean and the clean-up after each store: by size (oldest first, the
 * keep_count newest always kept) and by age (max_age_days).
 *
 * <p>Each entry of these tests is about 1.3 KB on disk, so thresholds are fractions of a megabyte.
 * Entries are aged by moving their {@code created} column back in the cache index
 * ({@code cache_entries} in the proxy's SQLite file), as if they had been kept long ago.
 */
class CacheCleanUpTest {
  private static final String CACHE = TestProxy.ONE_PROVIDER + "\n[cache]\nenabled = true\n";

  /** Keeps {@code count} answers, one at a time (oldest first), and returns their questions. */
  private static List<String> fill(TestProxy proxy, int count) {
    List<String> questions = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String question = question();
      proxy.upstream().stubFor(Stubs.chat().willReturn(answer(question)));
      chat(proxy, body(question, false, 0.0));
      awaitEntry(proxy, question);
      questions.add(question);
    }
    return questions;
  }

  private static JsonObject autoClean(TestProxy proxy) {
    HttpResponse<String> response = proxy.post("/api/cache/auto-clean", "");
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  /** The answers' texts (their previews) still in the cache, oldest first. */
  private static List<String> kept(TestProxy proxy) {
    List<String> previews = new ArrayList<>();
    new JsonObject(proxy.get("/api/cache/entries").body()).getJsonArray("data")
        .forEach(e -> previews.add(0, ((JsonObject) e).getString("preview")));
    return previews;
  }

  /** Keeps five answers with the default settings, then restarts the folder with other [cache] settings. */
  private static TestProxy fiveThenRestart(Path folder, List<String> questions, String cacheSettings) {
    try (TestProxy proxy = TestProxy.startIn(folder, CACHE, "")) {
      questions.addAll(fill(proxy, 5));
    }
    return TestProxy.startIn(folder, CACHE + cacheSettings, "");
  }

  @Test
  void should_remove_the_oldest_entries_until_under_the_threshold() throws Exception {
    List<String> questions = new ArrayList<>();
    // About three entries fit in 4 KB; keep_count does not bind.
    try (TestProxy proxy = fiveThenRestart(Files.createTempDirectory("kimi-cache-clean"), questions,
        "auto_clean_threshold_mb = 0.004\nkeep_count = 1\n")) {
      long threshold = CacheRequests.stats(proxy).getLong("auto_clean_threshold_bytes");
      assertEquals(4194, threshold);

      JsonObject report = autoClean(proxy);

      assertEquals(2, report.getInteger("removed_for_size"), report.encode());
      assertEquals(3, report.getLong("entries_left"), report.encode());
      assertTrue(report.getLong("bytes_left") <= threshold, report.encode());
      assertEquals(questions.subList(2, 5), kept(proxy));
      assertEquals("miss", status(chat(proxy, body(questions.get(0), false, 0.0))));
    }
  }

  @Test
  void should_always_keep_the_newest_keep_count_entries() throws Exception {
    List<String> questions = new ArrayList<>();
    // 1 KB holds no entry at all: only keep_count stops the clean-up.
    try (TestProxy proxy = fiveThenRestart(Files.createTempDirectory("kimi-cache-keep"), questions,
        "auto_clean_threshold_mb = 0.001\nkeep_count = 3\n")) {
      JsonObject report = autoClean(proxy);

      assertEquals(2, report.getInteger("removed_for_size"), report.encode());
      assertEquals(3, report.getLong("entries_left"), report.encode());
      assertEquals(questions.subList(2, 5), kept(proxy));
      assertEquals(0, autoClean(proxy).getInteger("removed_for_size"), "a second clean-up finds nothing to do");
    }
  }

  @Test
  void should_clean_after_a_store_that_passes_the_threshold() {
    try (TestProxy proxy = TestProxy.start(CACHE + "auto_clean_threshold_mb = 0.001\nkeep_count = 2\n")) {
      List<String> questions = fill(proxy, 4);

      awaitEntries(proxy, 2);

      assertEquals(questions.subList(2, 4), kept(proxy));
    }
  }

  @Test
  void should_remove_entries_older_than_max_age_days() throws Exception {
    try (TestProxy proxy = TestProxy.start(CACHE + "max_age_days = 30\n")) {
      List<String> questions = fill(proxy, 3);
      long day = 86_400_000L;
      try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + proxy.databaseFile());
           PreparedStatement age = db.prepareStatement("UPDATE cache_entries SET created = ? WHERE preview = ?")) {
        age.setLong(1, System.currentTimeMillis() - 31 * day);
        age.setString(2, questions.get(0));
        assertEquals(1, age.executeUpdate());
        age.setLong(1, System.currentTimeMillis() - 29 * day);
        age.setString(2, questions.get(1));
        assertEquals(1, age.executeUpdate());
      }

      JsonObject report = autoClean(proxy);

      assertEquals(1, report.getInteger("removed_too_old"), report.encode());
      assertEquals(0, report.getInteger("removed_for_size"), report.encode());
      assertEquals(2, report.getLong("entries_left"));
      assertEquals(questions.subList(1, 3), kept(proxy));
      // It was in memory too: a request for it asks the provider again.
      assertEquals("miss", status(chat(proxy, body(questions.get(0), false, 0.0))));
      assertEquals("hit", status(chat(proxy, body(questions.get(1), false, 0.0))));
    }
  }
}
