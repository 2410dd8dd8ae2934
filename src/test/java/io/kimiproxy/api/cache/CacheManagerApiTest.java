package io.kimiproxy.api.cache;

import static io.kimiproxy.api.cache.CacheRequests.answer;
import static io.kimiproxy.api.cache.CacheRequests.awaitEntry;
import static io.kimiproxy.api.cache.CacheRequests.body;
import static io.kimiproxy.api.cache.CacheRequests.chat;
import static io.kimiproxy.api.cache.CacheRequests.ledgerRow;
import static io.kimiproxy.api.cache.CacheRequests.question;
import static io.kimiproxy.api.cache.CacheRequests.stats;
import static io.kimiproxy.api.cache.CacheRequests.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.OpenAiErrors;
import io.kimiproxy.testing.Stubs;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET /api/cache/stats and /entries, DELETE /api/cache/{key}, POST /api/cache/clear, on a fresh proxy each. */
class CacheManagerApiTest {
  private static final String CLINE = "Cline/3.17 (VS Code)";
  private static final String CONTINUE = "Continue/1.1 node-fetch";

  private TestProxy proxy;

  @BeforeEach
  void start() {
    proxy = TestProxy.start(CacheRequests.CACHE_ON);
  }

  @AfterEach
  void stop() {
    proxy.close();
  }

  /** A miss then a hit for a new question, sent as {@code userAgent}; returns the miss's ledger row. */
  private JsonObject missThenHit(String userAgent) {
    String question = question();
    proxy.upstream().stubFor(Stubs.chat().willReturn(answer(question)));
    HttpResponse<String> miss = chat(proxy, body(question, false, 0.0), "User-Agent", userAgent);
    assertEquals("miss", status(miss), miss.body());
    awaitEntry(proxy, question);
    HttpResponse<String> hit = chat(proxy, body(question, false, 0.0), "User-Agent", userAgent);
    assertEquals("hit", status(hit), hit.body());
    assertTrue(ledgerRow(proxy, hit).getBoolean("cache_hit"));
    return ledgerRow(proxy, miss);
  }

  private HttpResponse<String> delete(String key) {
    return proxy.send(proxy.request("/api/cache/" + key).DELETE().build());
  }

  @Test
  void should_count_entries_hits_misses_and_savings_per_client_kind() {
    JsonObject cline = missThenHit(CLINE);
    JsonObject cont = missThenHit(CONTINUE);
    missThenHit(CLINE);

    JsonObject stats = stats(proxy);

    assertEquals(3, stats.getLong("entries"));
    assertEquals(3, stats.getLong("hits"));
    assertEquals(3, stats.getLong("misses"));
    assertTrue(stats.getLong("size_bytes") > 0, stats.encode());
    JsonObject byClient = stats.getJsonObject("by_client");
    assertEquals(Set.of("cline", "continue"), byClient.fieldNames(), stats.encode());
    long tokensPerHit = cline.getLong("prompt_tokens") + cline.getLong("completion_tokens");
    assertEquals(2, byClient.getJsonObject("cline").getLong("hits"));
    assertEquals(2 * tokensPerHit, byClient.getJsonObject("cline").getLong("tokens_saved"));
    assertEquals(2 * cline.getDouble("cost_usd"), byClient.getJsonObject("cline").getDouble("cost_saved_usd"), 1e-9);
    assertEquals(1, byClient.getJsonObject("continue").getLong("hits"));
    assertEquals(cont.getDouble("cost_usd"), byClient.getJsonObject("continue").getDouble("cost_saved_usd"), 1e-9);
    assertEquals(3 * tokensPerHit, stats.getLong("tokens_saved"));
    assertEquals(3 * cline.getDouble("cost_usd"), stats.getDouble("cost_saved_usd"), 1e-9);
  }

  @Test
  void should_list_entries_newest_first_with_a_preview_and_no_prompt() {
    String question = question();
    proxy.upstream().stubFor(Stubs.chat().willReturn(answer("The answer is 42.")));
    chat(proxy, body(question, false, 0.0), "User-Agent", CLINE);
    awaitEntry(proxy, "The answer is 42.");

    JsonObject entry = new JsonObject(proxy.get("/api/cache/entries?limit=10").body()).getJsonArray("data")
        .getJsonObject(0);

    assertTrue(entry.getString("key").matches("[0-9a-f]{64}"), entry.encode());
    assertEquals("test/model", entry.getString("model"));
    assertEquals("cline", entry.getString("client"));
    assertFalse(entry.getBoolean("stream"));
    assertTrue(entry.getLong("size_bytes") > 0);
    assertTrue(entry.getLong("expires") > entry.getLong("created"));
    assertFalse(entry.encode().contains(question), "the index keeps the answer's start, not the prompt");
    assertFalse(entry.encode().contains(TestProxy.KEY));
    OpenAiErrors.assertError(proxy.get("/api/cache/entries?limit=0"), 400, "invalid_request_error");
  }

  @Test
  void should_delete_one_entry_so_the_next_request_misses() {
    String question = question();
    proxy.upstream().stubFor(Stubs.chat().willReturn(answer(question)));
    chat(proxy, body(question, false, 0.0));
    String key = awaitEntry(proxy, question).getString("key");

    HttpResponse<String> deleted = delete(key);

    assertEquals(200, deleted.statusCode(), deleted.body());
    assertEquals(key, new JsonObject(deleted.body()).getString("deleted"));
    assertFalse(Files.exists(proxy.folder().resolve("data/cache").resolve(key + ".json")), "its file is gone");
    assertEquals("miss", status(chat(proxy, body(question, false, 0.0))));
    assertEquals(2, Stubs.calls(proxy.upstream(), Stubs.CHAT_PATH));
    JsonObject unknown = OpenAiErrors.assertError(delete("0".repeat(64)), 404, "invalid_request_error");
    assertEquals("cache_entry_not_found", unknown.getString("code"));
    OpenAiErrors.assertError(delete("not-a-key"), 400, "invalid_request_error");
    OpenAiErrors.assertError(delete(key.toUpperCase()), 400, "invalid_request_error");
  }

  @Test
  void should_clear_every_entry_and_its_files() {
    String first = question();
    String second = question();
    proxy.upstream().stubFor(Stubs.chat().willReturn(answer(first)));
    chat(proxy, body(first, false, 0.0));
    awaitEntry(proxy, first);
    proxy.upstream().stubFor(Stubs.chat().willReturn(answer(second)));
    chat(proxy, body(second, false, 0.0));
    awaitEntry(proxy, second);

    HttpResponse<String> cleared = proxy.send(proxy.request("/api/cache/clear")
        .POST(HttpRequest.BodyPublishers.noBody()).build());

    assertEquals(200, cleared.statusCode(), cleared.body());
    assertEquals(new JsonObject().put("cleared", true), new JsonObject(cleared.body()));
    JsonObject stats = stats(proxy);
    assertEquals(0, stats.getLong("entries"));
    assertEquals(0, stats.getLong("size_bytes"));
    assertEquals(0, stats.getLong("memory_entries"));
    assertTrue(new JsonObject(proxy.get("/api/cache/entries").body()).getJsonArray("data").isEmpty());
    assertEquals("miss", status(chat(proxy, body(first, false, 0.0))), "nothing is left in memory either");
  }
}
