package io.kimiproxy.features.limits;

import io.kimiproxy.config.BudgetConfig;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.ledger.Spending;
import io.kimiproxy.core.shared.RedisLink;
import io.kimiproxy.core.shared.RedisScript;
import io.kimiproxy.features.alerts.AlertCenter;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.logging.Logger;

/**
 * The budgets of a team's instances, in Redis: one hash per budget and period ({@code used},
 * {@code reserved}, {@code alerted}). A request holds its largest possible cost before its call
 * and gives the hold back after, when its real cost is added; a blocking budget refuses once what
 * is used and held reaches its limit, so all instances together overshoot it by at most what the
 * requests in flight cost beyond it. The instance whose spending crosses a level raises its alert,
 * once for the team. A budget Redis does not hold (a new period, Redis restarted) is loaded from
 * the shared ledger; after an outage every budget is set again from the ledger, which saw what
 * Redis missed.
 */
public final class RedisQuotaTracker implements QuotaTracker {
  private static final Logger LOG = Logger.getLogger(RedisQuotaTracker.class.getName());
  private static final String PREFIX = "kp:budget:";
  private static final long DAY_MS = 86_400_000L;
  private static final RedisScript INIT = RedisScript.load("budget_init");
  private static final RedisScript RESERVE = RedisScript.load("budget_reserve");
  private static final RedisScript RELEASE = RedisScript.load("budget_release");
  private static final RedisScript SPEND = RedisScript.load("budget_spend");

  private final RedisLink redis;
  private final List<BudgetConfig> budgets;
  private final AlertCenter alerts;
  private final Clock clock;
  private final SharedFailurePolicy onFailure;
  private volatile BiFunction<String, Long, Future<Spending>> ledger =
      (scope, from) -> Future.succeededFuture(new Spending(0, 0));

  public RedisQuotaTracker(RedisLink redis, List<BudgetConfig> budgets, AlertCenter alerts, Clock clock,
                           SharedFailurePolicy onFailure) {
    this.redis = redis;
    this.budgets = List.copyOf(budgets);
    this.alerts = alerts;
    this.clock = clock;
    this.onFailure = onFailure;
  }

  /** Sets what another instance has not set already; a start with Redis away does not fail. */
  @Override
  public Future<Void> load(BiFunction<String, Long, Future<Spending>> spent) {
    this.ledger = spent;
    return fromLedger(budgets, false);
  }

  /** Every budget again from the ledger: after Redis was away, and missed what was spent meanwhile. */
  public Future<Void> resync() {
    return fromLedger(budgets, true);
  }

  private Future<Void> fromLedger(List<BudgetConfig> which, boolean force) {
    long now = clock.millis();
    List<Future<?>> sets = new ArrayList<>();
    for (BudgetConfig b : which) {
      sets.add(ledger.apply(b.scope(), Budgets.periodStart(b.period(), now)).compose(spent -> {
        double used = Budgets.amount(b, spent.tokens(), spent.usd());
        int level = Budgets.level(b, used);
        // A level reached before this start is still in the alerts: raised unless they already hold it.
        if (level > 0 && !force) Budgets.alert(alerts, b, Budgets.periodStart(b.period(), now), level, used);
        return redis.eval(INIT, List.of(key(b, now)), List.of(Double.toString(used),
            Integer.toString(level), Long.toString(Budgets.periodEnd(b.period(), now) + DAY_MS),
            force ? "1" : "0"));
      }));
    }
    return Future.all(sets).<Void>mapEmpty().recover(e -> {
      LOG.warning("budgets not loaded into Redis: " + e.getMessage());
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<Reservation> reserve(Set<String> scopes, long maxTokens, double maxUsd) {
    return reserve(scopes, maxTokens, maxUsd, true);
  }

  private Future<Reservation> reserve(Set<String> scopes, long maxTokens, double maxUsd, boolean mayLoad) {
    List<BudgetConfig> applicable = budgets.stream().filter(b -> Budgets.applies(b, scopes)).toList();
    if (applicable.isEmpty()) return Future.succeededFuture(Reservation.NONE);
    long now = clock.millis();
    List<String> keys = new ArrayList<>();
    List<String> args = new ArrayList<>();
    List<String> held = new ArrayList<>();
    for (BudgetConfig b : applicable) {
      String amount = Double.toString(Budgets.amount(b, maxTokens, maxUsd));
      keys.add(key(b, now));
      args.addAll(List.of(Double.toString(b.limit()), b.block() ? "1" : "0", amount));
      held.add(amount);
    }
    return redis.eval(RESERVE, keys, args).transform(done -> {
      if (done.failed()) return onFailure.unchecked("budget", done.cause(), () -> Reservation.NONE);
      int answer = done.result().toInteger();
      if (answer == 0) return Future.succeededFuture(new Reservation() {
        @Override
        public void release() {
          RedisQuotaTracker.this.release(keys, held);
        }

        @Override
        public void spent(long tokens, double usd) {
          spend(applicable, tokens, usd, held);
        }
      });
      if (answer > 0) return Future.failedFuture(Budgets.refusal(applicable.get(answer - 1), now));
      if (!mayLoad) return onFailure.unchecked("budget", new IllegalStateException("budget not loaded"), () -> Reservation.NONE);
      return fromLedger(List.of(applicable.get(-answer - 1)), false)
          .compose(v -> reserve(scopes, maxTokens, maxUsd, false));
    });
  }

  private void release(List<String> keys, List<String> held) {
    redis.eval(RELEASE, keys, held).onFailure(e -> LOG.fine("budget hold not released: " + e));
  }

  @Override
  public ProxyError unpriced(Set<String> scopes, String model, String provider) {
    return Budgets.unpriced(budgets, scopes, model, provider);
  }

  @Override
  public void record(Set<String> scopes, long tokens, double usd) {
    List<BudgetConfig> applicable = budgets.stream().filter(b -> Budgets.applies(b, scopes)).toList();
    if (!applicable.isEmpty()) spend(applicable, tokens, usd, applicable.stream().map(b -> "0").toList());
  }

  /** Adds a call's cost to its budgets, in place of the amounts it held there. */
  private void spend(List<BudgetConfig> applicable, long tokens, double usd, List<String> held) {
    long now = clock.millis();
    List<String> keys = new ArrayList<>();
    List<String> args = new ArrayList<>();
    for (int i = 0; i < applicable.size(); i++) {
      BudgetConfig b = applicable.get(i);
      keys.add(key(b, now));
      args.addAll(List.of(Double.toString(Budgets.amount(b, tokens, usd)), Double.toString(b.limit()), held.get(i)));
    }
    redis.eval(SPEND, keys, args).onSuccess(crossed -> {
      List<BudgetConfig> unloaded = new ArrayList<>();
      for (int i = 0; i < applicable.size(); i++) {
        int level = crossed.get(2 * i).toInteger();
        if (level > 0) {
          BudgetConfig b = applicable.get(i);
          Budgets.alert(alerts, b, Budgets.periodStart(b.period(), now), level, Double.parseDouble(crossed.get(2 * i + 1).toString()));
        }
        if (level < 0) unloaded.add(applicable.get(i));
      }
      if (!unloaded.isEmpty()) fromLedger(unloaded, false);
    }).onFailure(e -> LOG.fine("spending not counted in Redis (the ledger has it): " + e));
  }

  @Override
  public Future<List<JsonObject>> snapshot() {
    long now = clock.millis();
    List<Future<Response>> reads = new ArrayList<>();
    for (BudgetConfig b : budgets) {
      reads.add(redis.send(Request.cmd(Command.HGET).arg(key(b, now)).arg("used")));
    }
    return Future.all(reads).recover(e -> Future.failedFuture(
        SharedFailurePolicy.unreachable(": the budgets cannot be read now."))).map(all -> {
      List<JsonObject> out = new ArrayList<>();
      for (int i = 0; i < budgets.size(); i++) {
        Response used = reads.get(i).result();
        out.add(Budgets.view(budgets.get(i), used == null ? 0 : Double.parseDouble(used.toString()), now));
      }
      return out;
    });
  }

  private static String key(BudgetConfig b, long nowMs) {
    return PREFIX + b.scope() + "|" + b.period() + "|" + b.metric() + "|" + Budgets.periodStart(b.period(), nowMs);
  }
}
