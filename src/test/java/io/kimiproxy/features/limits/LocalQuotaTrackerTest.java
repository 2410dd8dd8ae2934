package io.kimiproxy.features.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kimiproxy.config.BudgetConfig;
import io.kimiproxy.config.BudgetConfig.Metric;
import io.kimiproxy.config.BudgetConfig.Period;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.features.alerts.Alert;
import io.kimiproxy.features.alerts.AlertCenter;
import io.kimiproxy.core.ledger.Spending;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LocalQuotaTrackerTest {
  private static final Set<String> GROQ = Set.of("provider:groq", "model:groq/llama");
  private final List<JsonObject> published = new ArrayList<>();
  private final AlertCenter alerts = new AlertCenter((type, payload) -> published.add(payload));

  @Test
  void should_warn_at_thirty_percent_and_go_critical_at_ten_percent_once_each() {
    LocalQuotaTracker tracker = tracker(new BudgetConfig("provider:groq", Period.DAY, Metric.TOKENS, 1000, true), fixed());
    tracker.record(GROQ, 600, 0);
    assertEquals(0, alerts.recent(10).size());
    tracker.record(GROQ, 100, 0); // 300 left = 30 %
    tracker.record(GROQ, 50, 0);  // still warning: not raised twice
    tracker.record(GROQ, 160, 0); // 90 left = 9 %
    List<Alert> raised = alerts.recent(10);
    assertEquals(2, raised.size());
    assertEquals("critical", raised.get(0).level());
    assertEquals("warning", raised.get(1).level());
    assertEquals(2, published.size());
  }

  @Test
  void should_block_with_insufficient_quota_when_a_blocking_budget_is_spent() {
    LocalQuotaTracker tracker = tracker(new BudgetConfig("provider:groq", Period.MONTH, Metric.USD, 1.0, true), fixed());
    assertNull(tracker.check(GROQ));
    tracker.record(GROQ, 10, 1.25);
    ProxyError error = tracker.check(GROQ);
    assertNotNull(error);
    assertEquals(429, error.status());
    assertEquals("insufficient_quota", error.code());
    assertNull(tracker.check(Set.of("provider:mistral")), "other providers are not limited by this budget");
    assertEquals("exhausted", tracker.snapshot().result().get(0).getString("level"));
  }

  @Test
  void should_only_alert_when_the_budget_action_is_warn() {
    LocalQuotaTracker tracker = tracker(new BudgetConfig("global", Period.DAY, Metric.TOKENS, 100, false), fixed());
    tracker.record(Set.of("provider:x"), 150, 0);
    assertNull(tracker.check(Set.of("provider:x")));
    assertEquals("critical", alerts.recent(1).get(0).level());
  }

  @Test
  void should_start_a_new_period_at_utc_midnight() {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-21T23:59:00Z"));
    LocalQuotaTracker tracker = tracker(new BudgetConfig("provider:groq", Period.DAY, Metric.TOKENS, 100, true), clock);
    tracker.record(GROQ, 100, 0);
    assertNotNull(tracker.check(GROQ));
    clock.now = Instant.parse("2026-11-22T00:00:01Z");
    assertNull(tracker.check(GROQ));
    assertEquals(0.0, tracker.snapshot().result().get(0).getDouble("used"));
  }

  @Test
  void should_load_the_current_period_spending_and_derive_its_alert_once() {
    LocalQuotaTracker tracker = tracker(new BudgetConfig("model:groq/llama", Period.DAY, Metric.USD, 10, true), fixed());
    List<Long> asked = new ArrayList<>();
    tracker.load((scope, from) -> {
      asked.add(from);
      return Future.succeededFuture(new Spending(0, 8.0));
    });
    assertEquals(Instant.parse("2026-11-21T00:00:00Z").toEpochMilli(), asked.get(0));
    assertEquals(8.0, tracker.snapshot().result().get(0).getDouble("used"));
    assertEquals(1, alerts.recent(10).size(), "the band it was in before the restart is an alert again");
    assertEquals("warning", alerts.recent(1).get(0).level());
    tracker.record(GROQ, 0, 0.5); // still in that band: nothing new
    tracker.load((scope, from) -> Future.succeededFuture(new Spending(0, 8.5))); // a reload derives it again
    assertEquals(1, alerts.recent(10).size());
  }

  private LocalQuotaTracker tracker(BudgetConfig budget, Clock clock) {
    return new LocalQuotaTracker(List.of(budget), alerts, clock);
  }

  private static Clock fixed() {
    return Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC);
  }

  private static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
