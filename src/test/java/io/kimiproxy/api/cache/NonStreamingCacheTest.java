package io.kimiproxy.api.cache;

import static io.kimiproxy.api.cache.CacheRequests.answer;
import static io.kimiproxy.api.cache.CacheRequests.awaitEntry;
import static io.kimiproxy.api.cache.CacheRequests.body;
import static io.kimiproxy.api.cache.CacheRequests.chat;
import static io.kimiproxy.api.cache.CacheRequests.ledgerRow;
import static io.kimiproxy.api.cache.CacheRequests.question;
import static io.kimiproxy.api.cache.CacheRequests.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.OpenAiErrors;
import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.Stubs;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Whole (non-streamed) answers through the cache: which requests use it, what a hit returns and records. */
class NonStreamingCacheTest {
  private static final String HEADER = "X-Kimi-Cache";

  @RegisterExtension
  static final SharedProxy PROXY = SharedProxy.with(CacheRequests.CACHE_ON);

  private static int calls(TestProxy proxy) {
    return Stubs.calls(proxy.upstream(), Stubs.CHAT_PATH);
  }

  private static HttpResponse<String> ok(HttpResponse<String> response) {
    assertEquals(200, response.statusCode(), response.body());
    return response;
  }

  private static String content(HttpResponse<String> response) {
    return new JsonObject(response.body()).getJsonArray("choices").getJsonObject(0).getJsonObject("message")
        .getString("content");
  }

  @Test
  void should_answer_a_repeated_deterministic_request_from_the_cache_at_no_cost(TestProxy proxy) {
    String question = question();
    proxy.upstream().stubFor(Stubs.chat().willReturn(answer(question)));

    HttpResponse<String> first = ok(chat(proxy, body(question, false, 0.0)));
    assertEquals("miss", status(first));
    awaitEntry(proxy, question);
    HttpResponse<String> second = ok(chat(proxy, body(question, false, 0.0)));

    assertEquals("hit", status(second));
    assertEquals(1, calls(proxy), "a hit must not call the provider");
    assertEquals(first.body(), second.body());
    JsonObject firstRow = ledgerRow(proxy, first);
    JsonObject hitRow = ledgerRow(proxy, second);
    assertFalse(firstRow.getBoolean("cache_hit"));
    assertTrue(firstRow.getDouble("cost_usd") > 0, firstRow.encode());
    assertTrue(hitRow.getBoolean("cache_hit"), hitRow.encode());
    assertEquals(0.0, hitRow.getDouble("cost_usd"));
    assertEquals(firstRow.getDouble("cost_usd"), hitRow.getDouble("saved_usd"), 1e-12);
    assertEquals(firstRow.getLong("prompt_tokens"), hitRow.getLong("prompt_tokens"));
    assertEquals(firstRow.getLong("completion_tokens"), hitRow.getLong("completion_tokens"));
  }

  @Test
  void should_hit_whatever_the_order_of_the_request_keys(TestProxy proxy) {
    String question = question();
    proxy.upstream().stubFor(Stubs.chat().willReturn(answer(question)));
    ok(chat(proxy, body(question, false, 0.0)));
    awaitEntry(proxy, question);
    // Same request, keys in another order and a user id: the same question.
    JsonObject reordered = new JsonObject().put("temperature", 0).put("messages", body(question, false, 0.0)
        .getJsonArray("messages")).put("stream", false).put("model", "test/model").put("user", "someone");

    assertEquals("hit", status(ok(chat(proxy, reordered))));
    assertEquals(1, calls(proxy));
  }

  @Test
  void should_bypass_a_request_that_is_not_deterministic(TestProxy proxy) {
    String question = question();
    proxy.upstream().stubFor(Stubs.chat().willReturn(answer(question)));

    HttpResponse<String> first = ok(chat(proxy, body(question, false, 0.7)));
    HttpResponse<String> second = ok(chat(proxy, body(question, false, 0.7)));
    HttpResponse<String> noTemperature = ok(chat(proxy, body(question, false, null)));

    assertEquals("bypass", status(first));
    assertEquals("bypass", status(second));
    assertEquals("bypass", status(noTemperature));
    assertEquals(3, calls(proxy));
    assertFalse(ledgerRow(proxy, second).getBoolean("cache_hit"));
  }

  @Test
  void should_cache_a_request_that_is_not_deterministic_when_the_client_says_on(TestProxy proxy) {
    String question = question();
    proxy.upstream().stubFor(Stubs.chat().willReturn(answer(question)));

    assertEquals("miss", status(ok(chat(proxy, body(question, false, 0.7), HEADER, "on"))));
    awaitEntry(proxy, question);
    HttpResponse<String> again = ok(chat(proxy, body(question, false, 0.7), HEADER, "on"));
    // Without the header, the same request is not deterministic: it does not read the cache.
    HttpResponse<String> unforced = ok(chat(proxy, body(question, false, 0.7)));

    assertEquals("hit", status(again));
    assertEquals("bypass", status(unforced));
    assertEquals(2, calls(proxy));
  }

  @Test
  void should_neither_read_nor_write_the_cache_when_the_client_says_off(TestProxy proxy) {
    String question = question();
    proxy.upstream().stubFor(Stubs.chat().willReturn(answer(question)));
    ok(chat(proxy, body(question, false, 0.0)));
    awaitEntry(proxy, question);
    long entries = CacheRequests.stats(proxy).getLong("entries");

    HttpResponse<String> off = ok(chat(proxy, body(question, false, 0.0), HEADER, "off"));
    String other = question();
    HttpResponse<String> offNew = ok(chat(proxy, body(other, false, 0.0), HEADER, "OFF"));
    HttpResponse<String> hit = ok(chat(proxy, body(question, false, 0.0)));

    assertEquals("bypass", status(off));
    assertEquals("bypass", status(offNew));
    assertEquals(3, calls(proxy));
    assertEquals("hit", status(hit), "the entry is still there for requests that use the cache");
    assertEquals(entries, CacheRequests.stats(proxy).getLong("entries"), "off stores nothing");
  }

  @Test
  void should_ask_again_and_replace_the_entry_when_the_client_says_refresh(TestProxy proxy) {
    String question = question();
    String newer = "newer answer to " + question;
    Stubs.sequence(proxy.upstream(), Stubs.CHAT_PATH, answer(question), answer(newer));
    ok(chat(proxy, body(question, false, 0.0)));
    JsonObject old = awaitEntry(proxy, question);

    HttpResponse<String> refreshed = ok(chat(proxy, body(question, false, 0.0), HEADER, "refresh"));
    assertEquals("refresh", status(refreshed));
    assertEquals(newer, content(refreshed));
    assertEquals(2, calls(proxy));
    JsonObject replaced = awaitEntry(proxy, newer);
    assertEquals(old.getString("key"), replaced.getString("key"));
    HttpResponse<String> hit = ok(chat(proxy, body(question, false, 0.0)));

    assertEquals("hit", status(hit));
    assertEquals(newer, content(hit));
    assertEquals(2, calls(proxy));
    assertFalse(ledgerRow(proxy, refreshed).getBoolean("cache_hit"), "a refresh called the provider");
    assertNotEquals(0.0, ledgerRow(proxy, refreshed).getDouble("cost_usd"));
  }

  @Test
  void should_refuse_a_cache_header_that_means_nothing_in_openai_shape(TestProxy proxy) {
    proxy.upstream().stubFor(Stubs.chat().willReturn(answer("unused")));

    HttpResponse<String> response = chat(proxy, body(question(), false, 0.0), HEADER, "sometimes");

    JsonObject error = OpenAiErrors.assertError(response, 400, "invalid_request_error");
    assertTrue(error.getString("message").contains(HEADER), error.encode());
    assertEquals(0, calls(proxy));
  }
}
