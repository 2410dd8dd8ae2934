package io.kimiproxy.api.chat;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.ledger.RequestRecord;
import io.kimiproxy.proxy.routing.Route;
import io.kimiproxy.features.limits.RateLimiter;
import io.kimiproxy.features.limits.QuotaTracker;
import io.vertx.core.Future;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Stands before every call to a provider: a spent blocking budget refuses it (429
 * insufficient_quota), then the rate limits of the provider, the model alias and the client key
 * must all have room (the limiter waits up to max_wait_ms, else 429). A retry or a fallback is a
 * new call and passes again. Every ledger row then counts against the budgets.
 */
final class SpendingGate {
  private final RateLimiter limiter;
  private final QuotaTracker quotas;

  SpendingGate(RateLimiter limiter, QuotaTracker quotas) {
    this.limiter = limiter;
    this.quotas = quotas;
  }

  Future<RateLimiter.Permit> admit(ChatExchange x, Route route) {
    Set<String> scopes = scopes(route.provider().name(), route.alias(), x.clientKey);
    ProxyError refusal = quotas.check(scopes);
    if (refusal != null) return Future.failedFuture(refusal);
    long estimate = x.promptCount == null ? 0 : x.promptCount.total();
    long queuedNanos = System.nanoTime();
    return limiter.acquire(List.copyOf(scopes), estimate).andThen(done -> x.steps.queued((System.nanoTime() - queuedNanos) / 1_000_000));
  }

  /**
   * What the provider said of its own limits ({@code x-ratelimit-*} headers, on any answer): when it
   * has nothing left, the next calls wait for its reset instead of being refused by it.
   */
  void observed(String provider, UnaryOperator<String> header) {
    limiter.observe(provider, header.apply("x-ratelimit-remaining-requests"), header.apply("x-ratelimit-reset-requests"),
        header.apply("x-ratelimit-remaining-tokens"), header.apply("x-ratelimit-reset-tokens"));
  }

  /** What a call cost, once known, feeds the budgets; refusals were not billed, so they do not (see RequestRecord#billed). */
  void spent(RequestRecord row) {
    if (!row.billed()) return;
    quotas.record(scopes(row.provider(), row.modelAlias(), row.clientKey()), row.usage().totalTokens(), row.costUsd());
  }

  private static Set<String> scopes(String provider, String alias, String clientKey) {
    Set<String> scopes = new LinkedHashSet<>();
    scopes.add("provider:" + provider);
    scopes.add("model:" + alias);
    if (clientKey != null) scopes.add("client:" + clientKey);
    return scopes;
  }
}
