package io.kimiproxy.features.limits;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.ledger.Spending;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Daily and monthly budgets (UTC periods) per scope. Before a provider call the request's largest
 * possible cost is reserved, and a spent blocking budget refuses it (429 {@code insufficient_quota});
 * after the call the reservation is released and the real cost recorded. Crossing 30 % and 10 %
 * left, and zero, raises an alert once. {@link LocalQuotaTracker} counts in this process;
 * {@link RedisQuotaTracker} in the team's Redis, so N instances never overshoot a budget by more
 * than the requests they have in flight.
 */
public interface QuotaTracker {

  /** A request's hold on its budgets while its call runs. */
  interface Reservation {
    /** Holds nothing: no budget applies, or none could be checked. */
    Reservation NONE = new Reservation() {
      @Override
      public void release() {}

      @Override
      public void spent(long tokens, double usd) {}
    };

    /** The call failed: it spent nothing, its hold goes. */
    void release();

    /** What the call really cost, counted in place of its hold. */
    void spent(long tokens, double usd);
  }

  /** Loads this period's spending: {@code spent(scope, fromMs)} sums the ledger. */
  Future<Void> load(BiFunction<String, Long, Future<Spending>> spent);

  /**
   * Holds {@code maxTokens} / {@code maxUsd} in every budget of these scopes, or fails with the
   * refusal of a blocking budget that is spent (or wholly held by requests in flight).
   */
  Future<Reservation> reserve(Set<String> scopes, long maxTokens, double maxUsd);

  /**
   * The refusal for a call whose cost is unknown ({@code <provider>/<model>} with no fallback price):
   * under a blocking USD budget it would count as $0, so a spent budget could be spent again and
   * again; tokens budgets still count it. Null when nothing stands against it.
   */
  ProxyError unpriced(Set<String> scopes, String model, String provider);

  /** What a call really cost, when it held nothing. */
  void record(Set<String> scopes, long tokens, double usd);

  Future<List<JsonObject>> snapshot();
}
