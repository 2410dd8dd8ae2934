package io.kimiproxy.api.cache;

import static io.kimiproxy.api.cache.CacheRequests.answer;
import static io.kimiproxy.api.cache.CacheRequests.awaitEntry;
import static io.kimiproxy.api.cache.CacheRequests.body;
import static io.kimiproxy.api.cache.CacheRequests.chat;
import static io.kimiproxy.api.cache.CacheRequests.question;
import static io.kimiproxy.api.cache.CacheRequests.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.Poll;
import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.Stubs;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Entries live ttl_s seconds: after that the same request asks the provider again. */
class CacheExpiryTest {
  @RegisterExtension
  static final SharedProxy PROXY = SharedProxy.with(TestProxy.ONE_PROVIDER + "\n[cache]\nenabled = true\nttl_s = 1\n");

  @Test
  void should_miss_once_an_entry_has_outlived_its_ttl(TestProxy proxy) {
    String question = question();
    proxy.upstream().stubFor(Stubs.chat().willReturn(answer(question)));
    assertEquals("miss", status(chat(proxy, body(question, false, 0.0))));
    JsonObject entry = awaitEntry(proxy, question);
    assertEquals(1000, entry.getLong("expires") - entry.getLong("created"));

    // Asks until the answer is no longer served from the cache: hits until the entry expires, then a miss.
    HttpResponse<String> expired = Poll.until(Duration.ofSeconds(10), () -> chat(proxy, body(question, false, 0.0)),
        r -> !"hit".equals(status(r)), "the entry to expire");

    assertEquals(200, expired.statusCode(), expired.body());
    assertEquals("miss", status(expired));
    assertTrue(System.currentTimeMillis() >= entry.getLong("expires"));
    assertEquals(2, Stubs.calls(proxy.upstream(), Stubs.CHAT_PATH));
  }

  @Test
  void should_remove_expired_entries_at_clean_up(TestProxy proxy) {
    String question = question();
    proxy.upstream().stubFor(Stubs.chat().willReturn(answer(question)));
    chat(proxy, body(question, false, 0.0));
    JsonObject entry = awaitEntry(proxy, question);
    Poll.until(Duration.ofSeconds(10), System::currentTimeMillis, now -> now > entry.getLong("expires"), "expiry");

    HttpResponse<String> cleaned = proxy.post("/api/cache/auto-clean", "");

    assertEquals(200, cleaned.statusCode(), cleaned.body());
    JsonObject report = new JsonObject(cleaned.body());
    assertTrue(report.getInteger("removed_expired") >= 1, report.encode());
    assertEquals(0, report.getLong("entries_left"), report.encode());
    assertTrue(new JsonObject(proxy.get("/api/cache/entries").body()).getJsonArray("data").isEmpty());
  }
}
