package io.kimiproxy.features.limits;

import io.kimiproxy.config.BudgetConfig;
import io.kimiproxy.core.error.ErrorType;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.features.alerts.AlertCenter;
import io.kimiproxy.core.ledger.Spending;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Daily and monthly budgets (UTC periods). Spending is loaded from the ledger at start, then
 * counted as requests are recorded. When what remains falls to 30 % a warning is raised, at 10 %
 * a critical alert, at zero a blocking budget refuses requests with 429 {@code insufficient_quota}
 * and a warning budget says so once. A level is a lasting condition: each is alerted once per
 * period, and derived again at start, so that a budget spent before a restart (or a reload) is
 * still in the alerts without being raised twice.
 */
public final class QuotaTracker {
  private static final double WARNING_SHARE = 0.30;
  private static final double CRITICAL_SHARE = 0.10;

  private final List<BudgetState> budgets = new ArrayList<>();
  private final AlertCenter alerts;
  private final Clock clock;

  private static final class BudgetState {
    final BudgetConfig config;
    long periodStartMs;
    double used;
    int alertedLevel; // 0 none, 1 warning, 2 critical, 3 exhausted

    BudgetState(BudgetConfig config) {
      this.config = config;
    }
  }

  public QuotaTracker(List<BudgetConfig> configs, AlertCenter alerts, Clock clock) {
    this.alerts = alerts;
    this.clock = clock;
    configs.forEach(c -> budgets.add(new BudgetState(c)));
  }

  /**
   * Loads this period's spending ({@code spent(scope, fromMs)} sums the ledger) and derives the
   * level each budget is at: its alert is raised unless the alerts already hold it.
   */
  public Future<Void> load(BiFunction<String, Long, Future<Spending>> spent) {
    List<Future<?>> loads = new ArrayList<>();
    long now = clock.millis();
    for (BudgetState b : budgets) {
      long start = periodStart(b.config.period(), now);
      loads.add(spent.apply(b.config.scope(), start).onSuccess(t -> {
        Runnable derived = null;
        synchronized (this) {
          b.periodStartMs = start;
          b.used = b.config.metric() == BudgetConfig.Metric.TOKENS ? t.tokens() : t.usd();
          b.alertedLevel = level(b);
          if (b.alertedLevel > 0) derived = alert(b, b.alertedLevel);
        }
        if (derived != null) derived.run();
      }));
    }
    return Future.all(loads).mapEmpty();
  }

  /** The refusal for a request in these scopes, or null when every blocking budget has room. */
  public synchronized ProxyError check(Set<String> scopes) {
    long now = clock.millis();
    for (BudgetState b : budgets) {
      roll(b, now);
      if (b.config.block() && applies(b, scopes) && b.used >= b.config.limit()) {
        return ProxyError.of(429, ErrorType.INSUFFICIENT_QUOTA, "insufficient_quota",
            "The " + b.config.name() + " budget of " + amount(b.config, b.config.limit()) + " is spent; it resets "
                + Instant.ofEpochMilli(periodEnd(b.config.period(), now)) + ".");
      }
    }
    return null;
  }

  /**
   * The refusal for a call whose cost is unknown ({@code <provider>/<model>} with no fallback price):
   * under a blocking USD budget it would count as $0, so a spent budget could be spent again and
   * again; tokens budgets still count it. Null when nothing stands against it.
   */
  public synchronized ProxyError checkUnpriced(Set<String> scopes, String model, String provider) {
    ProxyError spent = check(scopes);
    if (spent != null) return spent;
    for (BudgetState b : budgets) {
      if (b.config.block() && b.config.metric() == BudgetConfig.Metric.USD && applies(b, scopes)) {
        return ProxyError.of(403, ErrorType.PERMISSION, "unpriced_model", "'" + model + "' has no price, and the "
            + b.config.name() + " budget counts US dollars: use a model alias with a price (GET /v1/models), or set "
            + "providers." + provider + ".fallback_input_price and fallback_output_price.");
      }
    }
    return null;
  }

  public void record(Set<String> scopes, long tokens, double usd) {
    List<Runnable> raised = new ArrayList<>();
    synchronized (this) {
      long now = clock.millis();
      for (BudgetState b : budgets) {
        roll(b, now);
        if (!applies(b, scopes)) continue;
        b.used += b.config.metric() == BudgetConfig.Metric.TOKENS ? tokens : usd;
        int level = level(b);
        if (level > b.alertedLevel) {
          b.alertedLevel = level;
          raised.add(alert(b, level));
        }
      }
    }
    raised.forEach(Runnable::run); // outside the lock: alerts log and publish
  }

  public synchronized List<JsonObject> snapshot() {
    long now = clock.millis();
    List<JsonObject> out = new ArrayList<>();
    for (BudgetState b : budgets) {
      roll(b, now);
      double remaining = Math.max(0, b.config.limit() - b.used);
      out.add(new JsonObject()
          .put("scope", b.config.scope())
          .put("period", b.config.period().name().toLowerCase(Locale.ROOT))
          .put("metric", b.config.metric().name().toLowerCase(Locale.ROOT))
          .put("limit", b.config.limit())
          .put("used", b.used)
          .put("remaining", remaining)
          .put("remaining_share", b.config.limit() > 0 ? remaining / b.config.limit() : 0)
          .put("level", switch (level(b)) {
            case 0 -> "ok";
            case 1 -> "warning";
            case 2 -> "critical";
            default -> "exhausted";
          })
          .put("action", b.config.block() ? "block" : "warn")
          .put("resets_at", periodEnd(b.config.period(), now)));
    }
    return out;
  }

  private Runnable alert(BudgetState b, int level) {
    BudgetConfig c = b.config;
    String remaining = amount(c, Math.max(0, c.limit() - b.used));
    String message = switch (level) {
      case 1 -> "The " + c.name() + " budget is below 30 %: " + remaining + " left of " + amount(c, c.limit()) + ".";
      case 2 -> "The " + c.name() + " budget is below 10 %: " + remaining + " left of " + amount(c, c.limit()) + ".";
      default -> "The " + c.name() + " budget of " + amount(c, c.limit()) + " is spent"
          + (c.block() ? "; requests are refused until it resets." : "; requests continue (action = warn).");
    };
    JsonObject details = new JsonObject().put("scope", c.scope()).put("period", c.period().name().toLowerCase(Locale.ROOT))
        .put("metric", c.metric().name().toLowerCase(Locale.ROOT)).put("limit", c.limit()).put("used", b.used);
    String dedupKey = String.join("|", "quota", c.scope(), c.period().name(), c.metric().name(),
        Long.toString(b.periodStartMs), Integer.toString(level));
    return () -> alerts.raise(level == 1 ? "warning" : "critical", "quota", message, details, dedupKey);
  }

  private static int level(BudgetState b) {
    double limit = b.config.limit();
    double remaining = limit - b.used;
    if (remaining <= 0) return 3;
    if (remaining <= limit * CRITICAL_SHARE) return 2;
    if (remaining <= limit * WARNING_SHARE) return 1;
    return 0;
  }

  private static boolean applies(BudgetState b, Set<String> scopes) {
    return b.config.scope().equals("global") || scopes.contains(b.config.scope());
  }

  private void roll(BudgetState b, long now) {
    long start = periodStart(b.config.period(), now);
    if (start != b.periodStartMs) {
      b.periodStartMs = start;
      b.used = 0;
      b.alertedLevel = 0;
    }
  }

  static long periodStart(BudgetConfig.Period period, long nowMs) {
    LocalDate day = Instant.ofEpochMilli(nowMs).atZone(ZoneOffset.UTC).toLocalDate();
    LocalDate start = period == BudgetConfig.Period.DAY ? day : day.withDayOfMonth(1);
    return start.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  static long periodEnd(BudgetConfig.Period period, long nowMs) {
    LocalDate start = Instant.ofEpochMilli(periodStart(period, nowMs)).atZone(ZoneOffset.UTC).toLocalDate();
    LocalDate end = period == BudgetConfig.Period.DAY ? start.plusDays(1) : start.plusMonths(1);
    return end.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  private static String amount(BudgetConfig c, double value) {
    return c.metric() == BudgetConfig.Metric.USD ? String.format(Locale.ROOT, "$%.2f", value)
        : String.format(Locale.ROOT, "%,d tokens", (long) value);
  }
}
