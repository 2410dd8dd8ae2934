package io.kimiproxy.api.governance;

import static io.kimiproxy.testing.Stubs.CHAT_PATH;
import static io.kimiproxy.testing.Stubs.calls;
import static io.kimiproxy.testing.Stubs.chat;
import static io.kimiproxy.testing.Stubs.okWithUsage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.core.events.EventNames;
import io.kimiproxy.testing.LiveFeed;
import io.kimiproxy.testing.LogCapture;
import io.kimiproxy.testing.OpenAiErrors;
import io.kimiproxy.testing.Poll;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A daily token budget on the "test" provider, fed by the usage the provider reports: at 30 % left
 * a warning, at 10 % a critical alert (each once, as a WebSocket event, a log line and in
 * GET /api/alerts); at zero a blocking budget refuses with 429 insufficient_quota before calling
 * the provider, a warning one lets requests through. The day's spending survives a restart.
 */
class QuotaAlertsTest {
  private static String config(String action) {
    return TestProxy.ONE_PROVIDER.replace("max_context = 1000", "max_context = 100000") + """

        [quotas."provider:test"]
        daily_tokens = 1000
        action = "%s"
        """.formatted(action);
  }

  /** One chat request whose answer reports {@code tokens} tokens of usage. */
  private static HttpResponse<String> spend(TestProxy proxy, int tokens) {
    proxy.upstream().resetAll();
    proxy.upstream().stubFor(chat().willReturn(okWithUsage(tokens - 10, 10)));
    return proxy.chat("test/model", false, TestProxy.newSession());
  }

  private static JsonObject quota(TestProxy proxy) {
    HttpResponse<String> response = proxy.get("/api/quotas");
    assertEquals(200, response.statusCode(), response.body());
    JsonArray data = new JsonObject(response.body()).getJsonArray("data");
    assertEquals(1, data.size(), response.body());
    return data.getJsonObject(0);
  }

  /** The quota once {@code used} tokens are counted (the row is recorded just after the answer). */
  private static JsonObject quotaAt(TestProxy proxy, double used) {
    return Poll.until(Duration.ofSeconds(5), () -> quota(proxy), q -> q.getDouble("used") >= used,
        used + " tokens counted");
  }

  private static JsonArray alerts(TestProxy proxy) {
    HttpResponse<String> response = proxy.get("/api/alerts");
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body()).getJsonArray("data");
  }

  @Test
  void should_warn_at_30_percent_alert_at_10_and_block_at_zero_then_remember_it_after_a_restart() {
    TestProxy proxy = TestProxy.start(config("block"));
    try (LogCapture logs = LogCapture.start(); LiveFeed feed = LiveFeed.connect(proxy, "")) {
      feed.next("init");
      assertEquals(200, spend(proxy, 500).statusCode());
      JsonObject half = quotaAt(proxy, 500);
      assertEquals("ok", half.getString("level"));
      assertEquals(0, alerts(proxy).size(), "half the budget left is no alert");

      assertEquals(200, spend(proxy, 200).statusCode());
      JsonObject low = quotaAt(proxy, 700);
      assertEquals("warning", low.getString("level"));
      assertEquals(300.0, low.getDouble("remaining"));
      JsonObject warning = feed.next(EventNames.ALERT).getJsonObject("data");
      assertEquals("warning", warning.getString("level"));
      assertEquals("quota", warning.getString("kind"));
      assertEquals("provider:test", warning.getJsonObject("details").getString("scope"));
      assertTrue(logs.lines().stream().anyMatch(l -> l.contains("WARNING") && l.contains("below 30 %")), "log line");

      assertEquals(200, spend(proxy, 200).statusCode());
      assertEquals("critical", quotaAt(proxy, 900).getString("level"));
      assertEquals("critical", feed.next(EventNames.ALERT).getJsonObject("data").getString("level"));
      assertTrue(logs.lines().stream().anyMatch(l -> l.contains("SEVERE") && l.contains("below 10 %")), "log line");

      assertEquals(200, spend(proxy, 100).statusCode());
      JsonObject spent = quotaAt(proxy, 1000);
      assertEquals("exhausted", spent.getString("level"));
      assertEquals(0.0, spent.getDouble("remaining"));

      HttpResponse<String> refused = spend(proxy, 100);
      JsonObject error = OpenAiErrors.assertError(refused, 429, "insufficient_quota");
      assertEquals("insufficient_quota", error.getString("code"));
      assertEquals(0, calls(proxy.upstream(), CHAT_PATH), "a spent budget calls no provider");
      assertEquals(1000.0, quota(proxy).getDouble("used"), "a refused request spends nothing");

      JsonArray raised = alerts(proxy);
      assertEquals(3, raised.size(), raised.encode());
      assertEquals("critical", raised.getJsonObject(0).getString("level"), "newest first: the spent budget");
      assertTrue(raised.getJsonObject(0).getString("message").contains("refused"), raised.encode());
      assertEquals("warning", raised.getJsonObject(2).getString("level"));
    } finally {
      proxy.close();
    }

    try (TestProxy restarted = TestProxy.startIn(proxy.folder(), config("block"), "")) {
      JsonObject remembered = quota(restarted);
      assertEquals(1000.0, remembered.getDouble("used"), remembered.encode());
      assertEquals("exhausted", remembered.getString("level"));
      OpenAiErrors.assertError(spend(restarted, 100), 429, "insufficient_quota");
      assertEquals(0, calls(restarted.upstream(), CHAT_PATH));
      JsonArray kept = alerts(restarted);
      assertEquals(3, kept.size(), "the alerts outlive the restart, none raised twice: " + kept.encode());
      assertTrue(kept.getJsonObject(0).getString("message").contains("refused"), kept.encode());
    }
  }

  @Test
  void should_only_warn_when_the_budget_action_is_warn() {
    try (TestProxy proxy = TestProxy.start(config("warn")); LogCapture logs = LogCapture.start()) {
      assertEquals(200, spend(proxy, 1000).statusCode());
      JsonObject spent = quotaAt(proxy, 1000);
      assertEquals("exhausted", spent.getString("level"));
      assertEquals("warn", spent.getString("action"));

      assertEquals(200, spend(proxy, 100).statusCode(), "a warning budget lets requests through");
      assertEquals(1, calls(proxy.upstream(), CHAT_PATH));
      assertEquals(1100.0, quotaAt(proxy, 1100).getDouble("used"), "and keeps counting");
      JsonArray raised = alerts(proxy);
      assertEquals(1, raised.size(), "raised once, not per request: " + raised.encode());
      assertTrue(raised.getJsonObject(0).getString("message").contains("continue"), raised.encode());
      assertTrue(logs.lines().stream().anyMatch(l -> l.contains("alert kind=quota")), "log line");
    }
  }

  @Test
  void should_derive_a_spent_budget_alert_again_when_the_stored_alerts_lost_it() throws Exception {
    TestProxy proxy = TestProxy.start(config("block"));
    try {
      assertEquals(200, spend(proxy, 1000).statusCode());
      quotaAt(proxy, 1000);
      Poll.until(Duration.ofSeconds(5), () -> alerts(proxy), a -> a.size() == 1, "the spent budget's alert");
    } finally {
      proxy.close();
    }
    try (java.sql.Connection db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + proxy.databaseFile());
         java.sql.Statement sql = db.createStatement()) {
      sql.executeUpdate("DELETE FROM alerts");
    }

    try (TestProxy restarted = TestProxy.startIn(proxy.folder(), config("block"), "")) {
      JsonArray derived = alerts(restarted);
      assertEquals(1, derived.size(), derived.encode());
      assertEquals("critical", derived.getJsonObject(0).getString("level"));
      assertTrue(derived.getJsonObject(0).getString("message").contains("is spent"), derived.encode());
    }
    try (TestProxy again = TestProxy.startIn(proxy.folder(), config("block"), "")) {
      assertEquals(1, alerts(again).size(), "derived once, then remembered");
    }
  }
}
