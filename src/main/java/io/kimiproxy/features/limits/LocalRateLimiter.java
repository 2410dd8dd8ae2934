package io.kimiproxy.features.limits;

import io.kimiproxy.config.ScopeLimits;
import io.kimiproxy.core.error.ErrorType;
import io.kimiproxy.core.error.ProxyError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Requests-per-minute and tokens-per-minute limits per scope (a provider, a model alias, a client
 * key), in this process: the solo proxy's limiter. A request draws from every bucket of its scopes at once or from none, under one lock, so
 * concurrent requests can never overshoot a limit. When a bucket is short the request waits, in
 * arrival order and without blocking a thread, up to {@code maxWaitMs}; then it gets a 429 with
 * Retry-After. Tokens are debited by the prompt estimate up front and corrected by the real usage.
 */
public final class LocalRateLimiter implements RateLimiter {

  private final Vertx vertx;
  private final long maxWaitMs;
  private final Map<String, ScopeLimits> limits;
  private final LongSupplier clock;
  private final Map<String, TokenBucket> buckets = new HashMap<>();
  private final Map<String, Long> pausedUntilNanos = new HashMap<>();
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private long timerId = -1;

  public LocalRateLimiter(Vertx vertx, long maxWaitMs, Map<String, ScopeLimits> limits) {
    this(vertx, maxWaitMs, limits, System::nanoTime);
  }

  LocalRateLimiter(Vertx vertx, long maxWaitMs, Map<String, ScopeLimits> limits, LongSupplier clock) {
    this.vertx = vertx;
    this.maxWaitMs = maxWaitMs;
    this.limits = Map.copyOf(limits);
    this.clock = clock;
  }

  /** A granted request; {@link #settle} it with the real token count once known. */
  private final class LocalPermit implements Permit {
    private final List<TokenBucket> tokenBuckets;
    private final long estimate;
    private boolean settled;

    private LocalPermit(List<TokenBucket> tokenBuckets, long estimate) {
      this.tokenBuckets = tokenBuckets;
      this.estimate = estimate;
    }

    @Override
    public void settle(long actualTokens) {
      synchronized (LocalRateLimiter.this) {
        if (settled) return;
        settled = true;
        long now = clock.getAsLong();
        tokenBuckets.forEach(b -> b.adjust(estimate - actualTokens, now));
      }
      drainLater();
    }
  }

  private record Need(String scope, String kind, TokenBucket bucket, long units) {}

  private record Waiter(List<String> scopes, List<Need> needs, long estimate, long deadlineNanos,
                        Promise<Permit> promise) {}

  @Override
  public Future<Permit> acquire(List<String> scopes, long estimatedTokens) {
    List<Need> needs = needs(scopes, estimatedTokens);
    for (Need need : needs) {
      if (need.units() > need.bucket().capacity()) {
        return Future.failedFuture(ProxyError.of(429, ErrorType.RATE_LIMIT, "rate_limit_exceeded",
            "This request needs about " + need.units() + " tokens, more than the " + need.scope() + " limit of "
                + need.bucket().capacity() + " tokens per minute allows.").withRetryAfter("60"));
      }
    }
    synchronized (this) {
      long now = clock.getAsLong();
      if (waiters.isEmpty() && waitNanos(scopes, needs, now) == 0) {
        return Future.succeededFuture(take(needs, estimatedTokens, now));
      }
      if (maxWaitMs <= 0) {
        return Future.failedFuture(limited(scopes, needs, now));
      }
      Waiter waiter = new Waiter(scopes, needs, estimatedTokens, now + maxWaitMs * 1_000_000, Promise.promise());
      waiters.add(waiter);
      schedule(now);
      return waiter.promise().future();
    }
  }

  @Override
  public void observe(String provider, String remainingRequests, String resetRequests,
                      String remainingTokens, String resetTokens) {
    long pauseMs = ResetDuration.pauseMillis(remainingRequests, resetRequests, remainingTokens, resetTokens);
    if (pauseMs <= 0) return;
    synchronized (this) {
      pausedUntilNanos.merge("provider:" + provider, clock.getAsLong() + pauseMs * 1_000_000, Math::max);
    }
  }

  @Override
  public synchronized Future<List<BucketView>> snapshot() {
    long now = clock.getAsLong();
    List<BucketView> out = new ArrayList<>();
    limits.forEach((scope, l) -> {
      if (l.rpm() > 0) out.add(view(scope, "rpm", bucket(scope, "rpm", l.rpm(), now), now));
      if (l.tpm() > 0) out.add(view(scope, "tpm", bucket(scope, "tpm", l.tpm(), now), now));
    });
    return Future.succeededFuture(out);
  }

  private BucketView view(String scope, String kind, TokenBucket b, long now) {
    long used = b.used(now);
    long resetMs = b.nanosUntil(b.capacity(), now) / 1_000_000;
    return new BucketView(scope, kind, used, b.capacity(), resetMs, LimitLevel.of(used, b.capacity()));
  }

  private synchronized List<Need> needs(List<String> scopes, long tokens) {
    long now = clock.getAsLong();
    List<Need> needs = new ArrayList<>();
    for (String scope : scopes) {
      ScopeLimits l = limits.get(scope);
      if (l == null) continue;
      if (l.rpm() > 0) needs.add(new Need(scope, "requests", bucket(scope, "rpm", l.rpm(), now), 1));
      if (l.tpm() > 0 && tokens > 0) needs.add(new Need(scope, "tokens", bucket(scope, "tpm", l.tpm(), now), tokens));
    }
    return needs;
  }

  private TokenBucket bucket(String scope, String kind, long capacity, long now) {
    return buckets.computeIfAbsent(scope + "|" + kind, k -> new TokenBucket(capacity, now));
  }

  /** The longest wait among the buckets and the pauses a provider asked for (with or without configured limits). */
  private long waitNanos(List<String> scopes, List<Need> needs, long now) {
    long wait = pauseNanos(scopes, now);
    for (Need need : needs) wait = Math.max(wait, need.bucket().nanosUntil(need.units(), now));
    return wait;
  }

  private long pauseNanos(List<String> scopes, long now) {
    long wait = 0;
    for (String scope : scopes) {
      Long paused = pausedUntilNanos.get(scope);
      if (paused != null) wait = Math.max(wait, paused - now);
    }
    return wait;
  }

  private Permit take(List<Need> needs, long estimate, long now) {
    List<TokenBucket> tokenBuckets = new ArrayList<>();
    for (Need need : needs) {
      need.bucket().take(need.units(), now);
      if (need.kind().equals("tokens")) tokenBuckets.add(need.bucket());
    }
    return new LocalPermit(tokenBuckets, estimate);
  }

  private ProxyError limited(List<String> scopes, List<Need> needs, long now) {
    Need tightest = null;
    long longest = pauseNanos(scopes, now);
    for (Need need : needs) {
      long wait = need.bucket().nanosUntil(need.units(), now);
      if (wait > longest) {
        longest = wait;
        tightest = need;
      }
    }
    long seconds = Math.max(1, (waitNanos(scopes, needs, now) + 999_999_999L) / 1_000_000_000L);
    String reason = tightest == null
        ? "The provider reported its rate limit exhausted (x-ratelimit headers)"
        : "Rate limit reached for " + tightest.scope() + " (" + tightest.bucket().capacity() + " " + tightest.kind()
            + " per minute)";
    return ProxyError.of(429, ErrorType.RATE_LIMIT, "rate_limit_exceeded", reason + "; retry after " + seconds + " s.")
        .withRetryAfter(Long.toString(seconds));
  }

  /** Grants waiters in arrival order while capacity lasts; fails those whose wait ran out. */
  private void drain() {
    List<Runnable> completions = new ArrayList<>();
    synchronized (this) {
      timerId = -1;
      long now = clock.getAsLong();
      Iterator<Waiter> it = waiters.iterator();
      boolean headBlocked = false;
      while (it.hasNext()) {
        Waiter w = it.next();
        if (!headBlocked && waitNanos(w.scopes(), w.needs(), now) == 0) {
          Permit permit = take(w.needs(), w.estimate(), now);
          it.remove();
          completions.add(() -> w.promise().complete(permit));
        } else if (now >= w.deadlineNanos()) {
          ProxyError error = limited(w.scopes(), w.needs(), now);
          it.remove();
          completions.add(() -> w.promise().fail(error));
        } else {
          headBlocked = true; // keep arrival order: nobody overtakes a waiting request
        }
      }
      if (!waiters.isEmpty()) schedule(now);
    }
    completions.forEach(Runnable::run);
  }

  private void drainLater() {
    synchronized (this) {
      if (waiters.isEmpty()) return;
    }
    vertx.runOnContext(v -> drain());
  }

  private void schedule(long now) {
    if (timerId >= 0) vertx.cancelTimer(timerId);
    long next = Long.MAX_VALUE;
    for (Waiter w : waiters) {
      next = Math.min(next, Math.min(waitNanos(w.scopes(), w.needs(), now), w.deadlineNanos() - now));
    }
    timerId = vertx.setTimer(Math.max(1, next / 1_000_000 + 1), id -> drain());
  }
}
