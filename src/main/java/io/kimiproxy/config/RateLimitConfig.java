package io.kimiproxy.config;

import java.util.Map;

/**
 * Rate limits: per scope ("provider:groq", "model:groq/llama-3.3-70b") from {@code rpm}/{@code tpm}
 * on provider and model tables, and per client key ({@code [rate_limits] client_rpm/client_tpm},
 * applied to each of server.api_keys).
 *
 * @param maxWaitMs how long a request may wait for capacity before its 429
 */
public record RateLimitConfig(long maxWaitMs, Map<String, ScopeLimits> scopes, ScopeLimits perClientKey) {}
