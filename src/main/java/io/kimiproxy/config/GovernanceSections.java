package io.kimiproxy.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Parses {@code [rate_limits]}, {@code [quotas."scope"]} and {@code [cache]}. */
final class GovernanceSections {
  private GovernanceSections() {}

  static RateLimitConfig rateLimits(TomlSection s, Map<String, ScopeLimits> scopes) {
    long maxWait = s.integer("max_wait_ms", 2000, 0, 600_000);
    ScopeLimits perKey = new ScopeLimits(s.integer("client_rpm", 0, 0, 10_000_000), s.integer("client_tpm", 0, 0, 10_000_000_000L));
    s.finish();
    return new RateLimitConfig(maxWait, Map.copyOf(scopes), perKey);
  }

  /** {@code rpm} and {@code tpm} on a provider or model table. */
  static ScopeLimits limits(TomlSection s) {
    return new ScopeLimits(s.integer("rpm", 0, 0, 10_000_000), s.integer("tpm", 0, 0, 10_000_000_000L));
  }

  /** @param keyBudgets the budgets of named keys ([keys.NAME]), which come first */
  static List<BudgetConfig> quotas(TomlSection section, Map<String, ProviderConfig> providers, Map<String, ModelConfig> models,
                                   Set<String> clientKeys, List<BudgetConfig> keyBudgets) {
    List<BudgetConfig> out = new ArrayList<>(keyBudgets);
    for (String scope : section.keys()) {
      TomlSection q = section.section(scope);
      checkScope(q, scope, providers, models, clientKeys);
      String action = q.string("action", "block");
      if (!action.equals("block") && !action.equals("warn")) throw q.error("action", "'" + action + "' is not block or warn");
      boolean block = action.equals("block");
      add(out, q, scope, "daily_tokens", BudgetConfig.Period.DAY, BudgetConfig.Metric.TOKENS, block);
      add(out, q, scope, "monthly_tokens", BudgetConfig.Period.MONTH, BudgetConfig.Metric.TOKENS, block);
      add(out, q, scope, "daily_usd", BudgetConfig.Period.DAY, BudgetConfig.Metric.USD, block);
      add(out, q, scope, "monthly_usd", BudgetConfig.Period.MONTH, BudgetConfig.Metric.USD, block);
      q.finish();
    }
    return List.copyOf(out);
  }

  static CacheConfig cache(TomlSection s, Path folder) {
    CacheConfig d = CacheConfig.disabled(folder.resolve("data/cache"));
    boolean enabled = s.bool("enabled", d.enabled());
    long ttl = s.integer("ttl_s", d.ttlMs() / 1000, 1, 365L * 86_400) * 1000;
    String dir = s.string("dir", "data/cache");
    long memory = s.integer("memory_max_mb", d.memoryMaxBytes() >> 20, 0, 65_536) << 20;
    // A fraction of a megabyte is allowed (0.5 = 512 KiB): small stores, and tests, need a threshold below 1 MB.
    long threshold = (long) (s.decimal("auto_clean_threshold_mb", d.autoCleanThresholdBytes() >> 20, 0.001) * (1 << 20));
    int keep = (int) s.integer("keep_count", d.keepCount(), 0, 1_000_000);
    long maxAge = s.integer("max_age_days", d.maxAgeMs() / 86_400_000L, 1, 3650) * 86_400_000L;
    s.finish();
    Path path = Path.of(dir);
    return new CacheConfig(enabled, ttl, path.isAbsolute() ? path : folder.resolve(path).normalize(), memory, threshold, keep, maxAge);
  }

  private static void add(List<BudgetConfig> out, TomlSection q, String scope, String key, BudgetConfig.Period period,
                          BudgetConfig.Metric metric, boolean block) {
    double limit = q.decimal(key, -1, 0);
    if (limit >= 0) out.add(new BudgetConfig(scope, period, metric, limit, block));
  }

  private static void checkScope(TomlSection q, String scope, Map<String, ProviderConfig> providers,
                                 Map<String, ModelConfig> models, Set<String> clientKeys) {
    if (scope.equals("global")) return;
    int colon = scope.indexOf(':');
    String kind = colon < 0 ? scope : scope.substring(0, colon);
    String name = colon < 0 ? "" : scope.substring(colon + 1);
    boolean known = switch (kind) {
      case "provider" -> providers.containsKey(name);
      case "model" -> models.containsKey(name);
      case "client" -> clientKeys.contains(name);
      default -> false;
    };
    if (!known) {
      throw q.error(null, "not a budget scope: use global, provider:<provider>, model:<alias>, client:key-<n> "
          + "(n counts server.api_keys from 1) or client:<name of a [keys.NAME] table>");
    }
  }
}
