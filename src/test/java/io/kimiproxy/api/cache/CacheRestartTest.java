package io.kimiproxy.api.cache;

import static io.kimiproxy.api.cache.CacheRequests.answer;
import static io.kimiproxy.api.cache.CacheRequests.awaitEntry;
import static io.kimiproxy.api.cache.CacheRequests.body;
import static io.kimiproxy.api.cache.CacheRequests.chat;
import static io.kimiproxy.api.cache.CacheRequests.question;
import static io.kimiproxy.api.cache.CacheRequests.stats;
import static io.kimiproxy.api.cache.CacheRequests.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.Stubs;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The disk tier outlives the process: a restarted proxy serves what the last one kept. */
class CacheRestartTest {
  @Test
  void should_serve_an_entry_from_disk_after_a_restart() throws Exception {
    Path folder = Files.createTempDirectory("kimi-cache-restart");
    String question = question();
    HttpResponse<String> first;
    String key;
    try (TestProxy proxy = TestProxy.startIn(folder, CacheRequests.CACHE_ON, "")) {
      proxy.upstream().stubFor(Stubs.chat().willReturn(answer(question)));
      first = chat(proxy, body(question, false, 0.0));
      assertEquals("miss", status(first));
      key = awaitEntry(proxy, question).getString("key");
      assertEquals("hit", status(chat(proxy, body(question, false, 0.0))));
      assertEquals(1, Stubs.calls(proxy.upstream(), Stubs.CHAT_PATH));
    }
    assertTrue(Files.exists(folder.resolve("data/cache").resolve(key + ".json")), "the answer is a file on disk");

    try (TestProxy restarted = TestProxy.startIn(folder, CacheRequests.CACHE_ON, "")) {
      restarted.upstream().stubFor(Stubs.chat().willReturn(answer("not this one")));
      JsonObject before = stats(restarted);
      assertEquals(1, before.getLong("entries"));
      assertEquals(0, before.getLong("memory_entries"), "memory starts empty: a hit must come from disk");

      HttpResponse<String> fromDisk = chat(restarted, body(question, false, 0.0));

      assertEquals("hit", status(fromDisk));
      assertEquals(first.body(), fromDisk.body());
      assertEquals(0, Stubs.calls(restarted.upstream(), Stubs.CHAT_PATH));
      assertTrue(CacheRequests.ledgerRow(restarted, fromDisk).getBoolean("cache_hit"));
      JsonObject after = stats(restarted);
      assertEquals(1, after.getLong("entries"));
      assertEquals(1, after.getLong("hits"));
      assertEquals(1, after.getLong("memory_entries"), "a disk hit is promoted to memory");
      assertTrue(after.getLong("size_bytes") > 0, after.encode());
      // The savings come from the ledger, which survived too: both hits, before and after the restart.
      assertEquals(2, after.getJsonObject("by_client").getJsonObject("other").getLong("hits"), after.encode());
    }
  }
}
