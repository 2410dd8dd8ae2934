package io.kimiproxy.features.limits;

import io.kimiproxy.config.BudgetConfig;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.features.alerts.AlertCenter;
import io.kimiproxy.core.ledger.Spending;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Budgets counted in this process: the solo proxy's. Spending is loaded from the ledger at start,
 * then counted as requests are recorded; a request is refused only once a blocking budget is spent,
 * so it holds nothing while it runs (one process sees every request as it is recorded).
 */
public final class LocalQuotaTracker implements QuotaTracker {
  private final List<BudgetState> budgets = new ArrayList<>();
  private final AlertCenter alerts;
  private final Clock clock;

  private static final class BudgetState {
    final BudgetConfig config;
    long periodStartMs;
    double used;
    int alertedLevel;

    BudgetState(BudgetConfig config) {
      this.config = config;
    }
  }

  public LocalQuotaTracker(List<BudgetConfig> configs, AlertCenter alerts, Clock clock) {
    this.alerts = alerts;
    this.clock = clock;
    configs.forEach(c -> budgets.add(new BudgetState(c)));
  }

  @Override
  public Future<Void> load(BiFunction<String, Long, Future<Spending>> spent) {
    List<Future<?>> loads = new ArrayList<>();
    long now = clock.millis();
    for (BudgetState b : budgets) {
      long start = Budgets.periodStart(b.config.period(), now);
      loads.add(spent.apply(b.config.scope(), start).onSuccess(t -> {
        int level;
        double used;
        synchronized (this) {
          b.periodStartMs = start;
          b.used = Budgets.amount(b.config, t.tokens(), t.usd());
          b.alertedLevel = Budgets.level(b.config, b.used);
          level = b.alertedLevel;
          used = b.used;
        }
        // A level reached before a restart is still in the alerts: raised unless they already hold it.
        if (level > 0) Budgets.alert(alerts, b.config, start, level, used);
      }));
    }
    return Future.all(loads).mapEmpty();
  }

  @Override
  public Future<Reservation> reserve(Set<String> scopes, long maxTokens, double maxUsd) {
    ProxyError refusal = check(scopes);
    if (refusal != null) return Future.failedFuture(refusal);
    return Future.succeededFuture(new Reservation() {
      @Override
      public void release() {}

      @Override
      public void spent(long tokens, double usd) {
        record(scopes, tokens, usd);
      }
    });
  }

  /** The refusal for a request in these scopes, or null when every blocking budget has room. */
  public synchronized ProxyError check(Set<String> scopes) {
    long now = clock.millis();
    for (BudgetState b : budgets) {
      roll(b, now);
      if (b.config.block() && Budgets.applies(b.config, scopes) && b.used >= b.config.limit()) {
        return Budgets.refusal(b.config, now);
      }
    }
    return null;
  }

  @Override
  public ProxyError unpriced(Set<String> scopes, String model, String provider) {
    return Budgets.unpriced(budgets.stream().map(b -> b.config).toList(), scopes, model, provider);
  }

  @Override
  public void record(Set<String> scopes, long tokens, double usd) {
    List<Runnable> raised = new ArrayList<>();
    synchronized (this) {
      long now = clock.millis();
      for (BudgetState b : budgets) {
        roll(b, now);
        if (!Budgets.applies(b.config, scopes)) continue;
        b.used += Budgets.amount(b.config, tokens, usd);
        int level = Budgets.level(b.config, b.used);
        if (level > b.alertedLevel) {
          b.alertedLevel = level;
          double used = b.used;
          long start = b.periodStartMs;
          raised.add(() -> Budgets.alert(alerts, b.config, start, level, used));
        }
      }
    }
    raised.forEach(Runnable::run); // outside the lock: alerts log and publish
  }

  @Override
  public synchronized Future<List<JsonObject>> snapshot() {
    long now = clock.millis();
    List<JsonObject> out = new ArrayList<>();
    for (BudgetState b : budgets) {
      roll(b, now);
      out.add(Budgets.view(b.config, b.used, now));
    }
    return Future.succeededFuture(out);
  }

  private void roll(BudgetState b, long now) {
    long start = Budgets.periodStart(b.config.period(), now);
    if (start != b.periodStartMs) {
      b.periodStartMs = start;
      b.used = 0;
      b.alertedLevel = 0;
    }
  }
}
