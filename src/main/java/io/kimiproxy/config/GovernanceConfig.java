package io.kimiproxy.config;

import java.util.List;

/** What keeps spending in bounds: rate limits, budgets, the response cache and ledger retention. */
public record GovernanceConfig(RateLimitConfig rateLimits, List<BudgetConfig> budgets, CacheConfig cache,
                               RetentionConfig retention) {}
