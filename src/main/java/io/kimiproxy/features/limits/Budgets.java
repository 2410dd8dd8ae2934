package io.kimiproxy.features.limits;

import io.kimiproxy.config.BudgetConfig;
import io.kimiproxy.core.error.ErrorType;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.features.alerts.AlertCenter;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What every budget tracker says the same way: UTC periods, the levels (when what remains falls
 * to 30 % a warning, at 10 % critical, at zero exhausted), the refusal, the alert and the view.
 */
final class Budgets {
  static final int OK = 0;
  static final int WARNING = 1;
  static final int CRITICAL = 2;
  static final int EXHAUSTED = 3;
  private static final double WARNING_SHARE = 0.30;
  private static final double CRITICAL_SHARE = 0.10;

  private Budgets() {}

  static int level(BudgetConfig b, double used) {
    double limit = b.limit();
    double remaining = limit - used;
    if (remaining <= 0) return EXHAUSTED;
    if (remaining <= limit * CRITICAL_SHARE) return CRITICAL;
    if (remaining <= limit * WARNING_SHARE) return WARNING;
    return OK;
  }

  static boolean applies(BudgetConfig b, Set<String> scopes) {
    return b.scope().equals("global") || scopes.contains(b.scope());
  }

  /** The amount of a request's tokens or dollars this budget counts. */
  static double amount(BudgetConfig b, long tokens, double usd) {
    return b.metric() == BudgetConfig.Metric.TOKENS ? tokens : usd;
  }

  static ProxyError refusal(BudgetConfig b, long nowMs) {
    return ProxyError.of(429, ErrorType.INSUFFICIENT_QUOTA, "insufficient_quota",
        "The " + b.name() + " budget of " + formatted(b, b.limit()) + " is spent; it resets "
            + Instant.ofEpochMilli(periodEnd(b.period(), nowMs)) + ".");
  }

  /** The refusal of a call without a price under the first blocking USD budget of its scopes, or null. */
  static ProxyError unpriced(List<BudgetConfig> budgets, Set<String> scopes, String model, String provider) {
    for (BudgetConfig b : budgets) {
      if (b.block() && b.metric() == BudgetConfig.Metric.USD && applies(b, scopes)) {
        return ProxyError.of(403, ErrorType.PERMISSION, "unpriced_model", "'" + model + "' has no price, and the "
            + b.name() + " budget counts US dollars: use a model alias with a price (GET /v1/models), or set "
            + "providers." + provider + ".fallback_input_price and fallback_output_price.");
      }
    }
    return null;
  }

  /**
   * Raises the alert of a level a budget reached in the period starting at {@code periodStartMs}:
   * a lasting condition, raised once per period however often it is derived (after a restart, by
   * another instance of a team).
   */
  static void alert(AlertCenter alerts, BudgetConfig c, long periodStartMs, int level, double used) {
    String remaining = formatted(c, Math.max(0, c.limit() - used));
    String message = switch (level) {
      case WARNING -> "The " + c.name() + " budget is below 30 %: " + remaining + " left of " + formatted(c, c.limit()) + ".";
      case CRITICAL -> "The " + c.name() + " budget is below 10 %: " + remaining + " left of " + formatted(c, c.limit()) + ".";
      default -> "The " + c.name() + " budget of " + formatted(c, c.limit()) + " is spent"
          + (c.block() ? "; requests are refused until it resets." : "; requests continue (action = warn).");
    };
    JsonObject details = new JsonObject().put("scope", c.scope()).put("period", c.period().name().toLowerCase(Locale.ROOT))
        .put("metric", c.metric().name().toLowerCase(Locale.ROOT)).put("limit", c.limit()).put("used", used);
    String dedupKey = String.join("|", "quota", c.scope(), c.period().name(), c.metric().name(),
        Long.toString(periodStartMs), Integer.toString(level));
    alerts.raise(level == WARNING ? "warning" : "critical", "quota", message, details, dedupKey);
  }

  static JsonObject view(BudgetConfig b, double used, long nowMs) {
    double remaining = Math.max(0, b.limit() - used);
    return new JsonObject()
        .put("scope", b.scope())
        .put("period", b.period().name().toLowerCase(Locale.ROOT))
        .put("metric", b.metric().name().toLowerCase(Locale.ROOT))
        .put("limit", b.limit())
        .put("used", used)
        .put("remaining", remaining)
        .put("remaining_share", b.limit() > 0 ? remaining / b.limit() : 0)
        .put("level", switch (level(b, used)) {
          case OK -> "ok";
          case WARNING -> "warning";
          case CRITICAL -> "critical";
          default -> "exhausted";
        })
        .put("action", b.block() ? "block" : "warn")
        .put("resets_at", periodEnd(b.period(), nowMs));
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

  private static String formatted(BudgetConfig c, double value) {
    return c.metric() == BudgetConfig.Metric.USD ? String.format(Locale.ROOT, "$%.2f", value)
        : String.format(Locale.ROOT, "%,d tokens", (long) value);
  }
}
