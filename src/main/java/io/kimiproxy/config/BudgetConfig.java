package io.kimiproxy.config;

import java.util.Locale;

/**
 * A spending budget: at most {@code limit} tokens or USD per day or month within a scope
 * ("global", "provider:groq", "model:groq/llama-3.3-70b", "client:key-1").
 *
 * @param block true: requests are refused (429 insufficient_quota) once it is spent; false: only alerts
 */
public record BudgetConfig(String scope, Period period, Metric metric, double limit, boolean block) {

  public enum Period { DAY, MONTH }

  public enum Metric { TOKENS, USD }

  public String name() {
    return scope + " " + (period == Period.DAY ? "daily" : "monthly") + " " + metric.name().toLowerCase(Locale.ROOT);
  }
}
