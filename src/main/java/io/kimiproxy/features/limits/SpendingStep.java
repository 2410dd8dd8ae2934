package io.kimiproxy.features.limits;

import io.kimiproxy.config.ClientKey;
import io.kimiproxy.core.error.ErrorType;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.ledger.RequestRecord;
import io.kimiproxy.proxy.chain.Admission;
import io.kimiproxy.proxy.chain.Attribute;
import io.kimiproxy.proxy.chain.ChatExchange;
import io.kimiproxy.proxy.chain.ChatStep;
import io.kimiproxy.proxy.routing.Route;
import io.vertx.core.Future;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Stands before every call to a provider: a client key limited to some models refuses the others
 * (403 model_not_allowed); a spent blocking budget refuses it (429 insufficient_quota), else the
 * call's largest cost is held in its budgets while it runs; a blocking USD budget a call without a
 * price would slip past refuses it too (403 unpriced_model); then the rate limits of the provider,
 * the model alias and the client key must all have room (the limiter waits up to max_wait_ms,
 * else 429). A retry or a fallback is a new call and passes again. Every ledger row then counts
 * against the budgets.
 */
public final class SpendingStep implements ChatStep {
  /**
   * The budget hold of the call that answered: kept until the request's row gives its real cost,
   * which replaces it in one step (a request that follows, on any instance, sees one or the other).
   */
  private static final Attribute<QuotaTracker.Reservation> HOLD = new Attribute<>("budget hold");

  private final RateLimiter limiter;
  private final QuotaTracker quotas;
  private final Map<String, ClientKey> keys;

  /** @param keys the client keys by name, for the models each may call */
  public SpendingStep(RateLimiter limiter, QuotaTracker quotas, Map<String, ClientKey> keys) {
    this.limiter = limiter;
    this.quotas = quotas;
    this.keys = Map.copyOf(keys);
  }

  @Override
  public Future<Admission> admit(ChatExchange x, Route route) {
    String clientKey = x.caller().clientKey();
    ClientKey key = clientKey == null ? null : keys.get(clientKey);
    if (key != null && !key.allows(route.alias()) && !key.allows(x.request().model())) {
      return Future.failedFuture(ProxyError.of(403, ErrorType.PERMISSION, "model_not_allowed",
          "The client key '" + key.name() + "' may not use '" + route.alias() + "' (keys." + key.name() + ".models)."));
    }
    Set<String> scopes = scopes(route.provider().name(), route.alias(), clientKey);
    long estimate = x.promptCount() == null ? 0 : x.promptCount().total();
    MaximumCost most = MaximumCost.of(x.request().options().maxTokens(), route.model(), estimate);
    String provider = route.provider().name();
    return quotas.reserve(scopes, most.tokens(), most.usd()).compose(hold -> {
      ProxyError unpriced = route.priced() ? null : quotas.unpriced(scopes, route.alias(), provider);
      if (unpriced == null) return Future.succeededFuture(hold);
      hold.release();
      return Future.failedFuture(unpriced);
    }).compose(hold -> {
      long queuedNanos = System.nanoTime();
      return limiter.acquire(List.copyOf(scopes), estimate)
          .andThen(done -> x.steps().queued((System.nanoTime() - queuedNanos) / 1_000_000))
          .onFailure(refused -> hold.release())
          .map(permit -> {
            x.put(HOLD, hold);
            return new LimitedCall(x, permit, hold, provider);
          });
    });
  }

  /**
   * A call the limits let through: settled with its real tokens (a failed call's budget hold given
   * back at once), and told the provider's own limits.
   */
  private final class LimitedCall implements Admission {
    private final ChatExchange x;
    private final RateLimiter.Permit permit;
    private final QuotaTracker.Reservation hold;
    private final String provider;

    LimitedCall(ChatExchange x, RateLimiter.Permit permit, QuotaTracker.Reservation hold, String provider) {
      this.x = x;
      this.permit = permit;
      this.hold = hold;
      this.provider = provider;
    }

    @Override
    public void settle(long tokens) {
      permit.settle(tokens);
      if (tokens == 0 && x.get(HOLD) == hold) {
        x.put(HOLD, null);
        hold.release();
      }
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
    QuotaTracker.Reservation hold = x.get(HOLD);
    x.put(HOLD, null);
    if (hold != null && row.billed()) {
      hold.spent(row.usage().totalTokens(), row.costUsd());
    } else if (hold != null) {
      hold.release();
    } else if (row.billed()) {
      quotas.record(scopes(row.provider(), row.modelAlias(), row.clientKey()), row.usage().totalTokens(), row.costUsd());
    }
  }

  private static Set<String> scopes(String provider, String alias, String clientKey) {
    Set<String> scopes = new LinkedHashSet<>();
    scopes.add("provider:" + provider);
    scopes.add("model:" + alias);
    if (clientKey != null) scopes.add("client:" + clientKey);
    return scopes;
  }
}
