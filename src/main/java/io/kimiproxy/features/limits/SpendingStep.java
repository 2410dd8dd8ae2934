package io.kimiproxy.features.limits;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.ledger.RequestRecord;
import io.kimiproxy.proxy.chain.Admission;
import io.kimiproxy.proxy.chain.ChatExchange;
import io.kimiproxy.proxy.chain.ChatStep;
import io.kimiproxy.proxy.routing.Route;
import io.vertx.core.Future;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Stands before every call to a provider: a spent blocking budget refuses it (429
 * insufficient_quota), and so does a blocking USD budget a call without a price would slip past
 * (403 unpriced_model, see QuotaTracker#checkUnpriced); then the rate limits of the provider, the model alias and the client key
 * must all have room (the limiter waits up to max_wait_ms, else 429). A retry or a fallback is a
 * new call and passes again. Every ledger row then counts against the budgets.
 */
public final class SpendingStep implements ChatStep {
  private final RateLimiter limiter;
  private final QuotaTracker quotas;

  public SpendingStep(RateLimiter limiter, QuotaTracker quotas) {
    this.limiter = limiter;
    this.quotas = quotas;
  }

  @Override
  public Future<Admission> admit(ChatExchange x, Route route) {
    Set<String> scopes = scopes(route.provider().name(), route.alias(), x.caller().clientKey());
    ProxyError refusal = route.priced() ? quotas.check(scopes)
        : quotas.checkUnpriced(scopes, route.alias(), route.provider().name());
    if (refusal != null) return Future.failedFuture(refusal);
    long estimate = x.promptCount() == null ? 0 : x.promptCount().total();
    String provider = route.provider().name();
    long queuedNanos = System.nanoTime();
    return limiter.acquire(List.copyOf(scopes), estimate)
        .andThen(done -> x.steps().queued((System.nanoTime() - queuedNanos) / 1_000_000))
        .map(permit -> new LimitedCall(permit, provider));
  }

  /** A call the limits let through: settled with its real tokens, and told the provider's own limits. */
  private final class LimitedCall implements Admission {
    private final RateLimiter.Permit permit;
    private final String provider;

    LimitedCall(RateLimiter.Permit permit, String provider) {
      this.permit = permit;
      this.provider = provider;
    }

    @Override
    public void settle(long tokens) {
      permit.settle(tokens);
    }

    /**
     * What the provider said of its own limits ({@code x-ratelimit-*} headers): when it has
     * nothing left, the next calls wait for its reset instead of being refused by it.
     */
    @Override
    public void answered(UnaryOperator<String> header) {
      limiter.observe(provider, header.apply("x-ratelimit-remaining-requests"),
          header.apply("x-ratelimit-reset-requests"), header.apply("x-ratelimit-remaining-tokens"),
          header.apply("x-ratelimit-reset-tokens"));
    }
  }

  /** What a call cost, once known, feeds the budgets; refusals were not billed, so they do not (see RequestRecord#billed). */
  @Override
  public void finished(ChatExchange x, RequestRecord row) {
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
