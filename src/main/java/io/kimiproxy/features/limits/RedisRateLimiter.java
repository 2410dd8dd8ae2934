package io.kimiproxy.features.limits;

import io.kimiproxy.config.ScopeLimits;
import io.kimiproxy.core.error.ErrorType;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.shared.RedisLink;
import io.kimiproxy.core.shared.RedisScript;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The rate limits of a team's instances, counted in Redis: each request's buckets are checked and
 * taken by one Lua script, atomically, on Redis' own clock, so N instances together let through
 * exactly what one would. A request short of room waits (a timer, never a thread) and tries again
 * while it can still make {@code max_wait_ms}; else it is refused at once with its Retry-After.
 * Waiting requests of different instances are not queued in arrival order, as one instance's are.
 */
public final class RedisRateLimiter implements RateLimiter {
  private static final Logger LOG = Logger.getLogger(RedisRateLimiter.class.getName());
  private static final String PREFIX = "kp:rl:";
  private static final RedisScript ACQUIRE = RedisScript.load("bucket", "acquire");
  private static final RedisScript SETTLE = RedisScript.load("bucket", "settle");
  private static final RedisScript PEEK = RedisScript.load("bucket", "peek");
  private static final RedisScript PAUSE = RedisScript.load("pause");
  private static final Permit UNCHECKED = actual -> { };

  private final RedisLink redis;
  private final long maxWaitMs;
  private final Map<String, ScopeLimits> limits;
  private final SharedFailurePolicy onFailure;

  public RedisRateLimiter(RedisLink redis, long maxWaitMs, Map<String, ScopeLimits> limits, SharedFailurePolicy onFailure) {
    this.redis = redis;
    this.maxWaitMs = maxWaitMs;
    this.limits = Map.copyOf(limits);
    this.onFailure = onFailure;
  }

  private record Need(String scope, String kind, long capacity, long units) {
    String key() {
      return PREFIX + scope + "|" + kind;
    }

    boolean tokens() {
      return kind.equals("tpm");
    }
  }

  @Override
  public Future<Permit> acquire(List<String> scopes, long estimatedTokens) {
    List<Need> needs = new ArrayList<>();
    for (String scope : scopes) {
      ScopeLimits l = limits.get(scope);
      if (l == null) continue;
      if (l.rpm() > 0) needs.add(new Need(scope, "rpm", l.rpm(), 1));
      if (l.tpm() > 0 && estimatedTokens > 0) needs.add(new Need(scope, "tpm", l.tpm(), estimatedTokens));
    }
    for (Need need : needs) {
      if (need.units() > need.capacity()) {
        return Future.failedFuture(ProxyError.of(429, ErrorType.RATE_LIMIT, "rate_limit_exceeded",
            "This request needs about " + need.units() + " tokens, more than the " + need.scope() + " limit of "
                + need.capacity() + " tokens per minute allows.").withRetryAfter("60"));
      }
    }
    List<String> keys = new ArrayList<>();
    List<String> args = new ArrayList<>(List.of(Integer.toString(needs.size())));
    for (Need need : needs) {
      keys.add(need.key());
      args.add(Long.toString(need.capacity()));
      args.add(Long.toString(need.units()));
    }
    scopes.forEach(scope -> keys.add(pauseKey(scope)));
    return attempt(needs, keys, args, estimatedTokens, System.nanoTime() + maxWaitMs * 1_000_000);
  }

  private Future<Permit> attempt(List<Need> needs, List<String> keys, List<String> args, long estimate, long deadlineNanos) {
    return redis.eval(ACQUIRE, keys, args).transform(done -> {
      if (done.failed()) return onFailure.unchecked("rate limit", done.cause(), () -> UNCHECKED);
      long waitMs = done.result().get(0).toLong();
      if (waitMs == 0) return Future.succeededFuture(permit(needs, estimate));
      int tightest = done.result().get(1).toInteger();
      if (System.nanoTime() + waitMs * 1_000_000 > deadlineNanos) {
        return Future.failedFuture(limited(tightest == 0 ? null : needs.get(tightest - 1), waitMs));
      }
      return redis.vertx().timer(waitMs).compose(t -> attempt(needs, keys, args, estimate, deadlineNanos));
    });
  }

  private Permit permit(List<Need> needs, long estimate) {
    List<Need> tokenNeeds = needs.stream().filter(Need::tokens).toList();
    if (tokenNeeds.isEmpty()) return UNCHECKED;
    return actual -> {
      if (actual == estimate) return;
      List<String> args = new ArrayList<>();
      tokenNeeds.forEach(n -> {
        args.add(Long.toString(n.capacity()));
        args.add(Long.toString(estimate - actual));
      });
      redis.eval(SETTLE, tokenNeeds.stream().map(Need::key).toList(), args)
          .onFailure(e -> LOG.fine("token bucket correction lost: " + e));
    };
  }

  private static ProxyError limited(Need tightest, long waitMs) {
    long seconds = Math.max(1, (waitMs + 999) / 1000);
    String reason = tightest == null
        ? "The provider reported its rate limit exhausted (x-ratelimit headers)"
        : "Rate limit reached for " + tightest.scope() + " (" + tightest.capacity() + " "
            + (tightest.tokens() ? "tokens" : "requests") + " per minute)";
    return ProxyError.of(429, ErrorType.RATE_LIMIT, "rate_limit_exceeded", reason + "; retry after " + seconds + " s.")
        .withRetryAfter(Long.toString(seconds));
  }

  @Override
  public void observe(String provider, String remainingRequests, String resetRequests, String remainingTokens,
                      String resetTokens) {
    long pauseMs = ResetDuration.pauseMillis(remainingRequests, resetRequests, remainingTokens, resetTokens);
    if (pauseMs <= 0) return;
    redis.eval(PAUSE, List.of(pauseKey("provider:" + provider)), List.of(Long.toString(pauseMs)))
        .onFailure(e -> LOG.fine("provider pause not shared: " + e));
  }

  @Override
  public Future<List<BucketView>> snapshot() {
    List<Need> buckets = new ArrayList<>();
    limits.forEach((scope, l) -> {
      if (l.rpm() > 0) buckets.add(new Need(scope, "rpm", l.rpm(), 0));
      if (l.tpm() > 0) buckets.add(new Need(scope, "tpm", l.tpm(), 0));
    });
    if (buckets.isEmpty()) return Future.succeededFuture(List.of());
    return redis.eval(PEEK, buckets.stream().map(Need::key).toList(),
        buckets.stream().map(n -> Long.toString(n.capacity())).toList()).map(levels -> views(buckets, levels))
        .recover(e -> Future.failedFuture(SharedFailurePolicy.unreachable(": the limits cannot be read now.")));
  }

  private static List<BucketView> views(List<Need> buckets, Response levels) {
    List<BucketView> out = new ArrayList<>();
    for (int i = 0; i < buckets.size(); i++) {
      Need b = buckets.get(i);
      double level = Double.parseDouble(levels.get(i).toString());
      long used = Math.max(0, Math.round(b.capacity() - level));
      long resetMs = (long) Math.ceil(Math.max(0, b.capacity() - level) * 60_000 / b.capacity());
      out.add(new BucketView(b.scope(), b.kind(), used, b.capacity(), resetMs, LimitLevel.of(used, b.capacity())));
    }
    return out;
  }

  private static String pauseKey(String scope) {
    return PREFIX + "pause|" + scope;
  }
}
