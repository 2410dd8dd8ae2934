package io.kimiproxy.features.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.config.ScopeLimits;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.testing.TestVertx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private final Vertx vertx = TestVertx.create();

  @AfterEach
  void close() {
    vertx.close();
  }

  @Test
  void should_never_grant_more_than_the_limit_to_concurrent_requests() throws Exception {
    AtomicLong clock = new AtomicLong(0); // frozen: no refill, so exactly the capacity may pass
    LocalRateLimiter limiter = new LocalRateLimiter(vertx, 0, Map.of("provider:p", new ScopeLimits(25, 0)), clock::get);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    AtomicInteger granted = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(400);
    for (int i = 0; i < 400; i++) {
      pool.execute(() -> limiter.acquire(List.of("provider:p"), 0).onComplete(ar -> {
        (ar.succeeded() ? granted : refused).incrementAndGet();
        done.countDown();
      }));
    }
    assertTrue(done.await(10, TimeUnit.SECONDS));
    pool.shutdown();
    assertEquals(25, granted.get());
    assertEquals(375, refused.get());
  }

  @Test
  void should_refuse_with_retry_after_when_no_wait_is_allowed() {
    AtomicLong clock = new AtomicLong(0);
    LocalRateLimiter limiter = new LocalRateLimiter(vertx, 0, Map.of("model:m", new ScopeLimits(1, 0)), clock::get);
    assertTrue(await(limiter.acquire(List.of("model:m"), 0)) != null);
    ProxyError error = failure(limiter.acquire(List.of("model:m"), 0));
    assertEquals(429, error.status());
    assertEquals("rate_limit_error", error.type());
    assertEquals("60", error.retryAfter()); // one request per minute: the next one refills in 60 s
  }

  @Test
  void should_wait_for_capacity_and_then_grant_in_arrival_order() {
    // 600 per minute = one every 100 ms: after the burst, waiters are served as the bucket refills.
    LocalRateLimiter limiter = new LocalRateLimiter(vertx, 5_000, Map.of("provider:p", new ScopeLimits(600, 0)));
    for (int i = 0; i < 600; i++) await(limiter.acquire(List.of("provider:p"), 0));
    List<Integer> order = new ArrayList<>();
    List<Future<RateLimiter.Permit>> waiting = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int n = i;
      waiting.add(limiter.acquire(List.of("provider:p"), 0).onSuccess(p -> {
        synchronized (order) {
          order.add(n);
        }
      }));
    }
    waiting.forEach(RateLimiterTest::await);
    assertEquals(List.of(0, 1, 2), order);
  }

  @Test
  void should_debit_the_estimate_and_correct_it_with_real_usage() {
    AtomicLong clock = new AtomicLong(0);
    LocalRateLimiter limiter = new LocalRateLimiter(vertx, 0, Map.of("provider:p", new ScopeLimits(0, 1000)), clock::get);
    RateLimiter.Permit permit = await(limiter.acquire(List.of("provider:p"), 600));
    assertEquals(600, usedTokens(limiter));
    permit.settle(900);
    assertEquals(900, usedTokens(limiter));
    assertEquals(429, failure(limiter.acquire(List.of("provider:p"), 200)).status());
    assertTrue(await(limiter.acquire(List.of("provider:p"), 100)) != null);
  }

  @Test
  void should_refuse_a_request_larger_than_the_whole_token_limit() {
    LocalRateLimiter limiter = new LocalRateLimiter(vertx, 10_000, Map.of("provider:p", new ScopeLimits(0, 1000)));
    ProxyError error = failure(limiter.acquire(List.of("provider:p"), 5000));
    assertEquals(429, error.status());
    assertTrue(error.getMessage().contains("5000"), error.getMessage());
  }

  @Test
  void should_pause_a_provider_that_reports_nothing_left() {
    AtomicLong clock = new AtomicLong(0);
    LocalRateLimiter limiter = new LocalRateLimiter(vertx, 0, Map.of("provider:p", new ScopeLimits(100, 0)), clock::get);
    limiter.observe("p", "0", "6m0s", null, null);
    ProxyError error = failure(limiter.acquire(List.of("provider:p"), 0));
    assertEquals("360", error.retryAfter());
    clock.set(361L * 1_000_000_000L);
    assertTrue(await(limiter.acquire(List.of("provider:p"), 0)) != null);
  }

  @Test
  void should_report_levels_from_the_share_used() {
    assertEquals(LimitLevel.NORMAL, LimitLevel.of(49, 100));
    assertEquals(LimitLevel.ELEVATED, LimitLevel.of(50, 100));
    assertEquals(LimitLevel.WARNING, LimitLevel.of(875, 1000));
    assertEquals(LimitLevel.CRITICAL, LimitLevel.of(95, 100));
  }

  @Test
  void should_parse_provider_reset_durations() {
    assertEquals(1000, ResetDuration.parseMillis("1s"));
    assertEquals(360_000, ResetDuration.parseMillis("6m0s"));
    assertEquals(120, ResetDuration.parseMillis("120ms"));
    assertEquals(7660, ResetDuration.parseMillis("7.66"));
    assertEquals(123_500, ResetDuration.parseMillis("2m3.5s"));
    assertEquals(3_600_000, ResetDuration.parseMillis("1h2m3.5s")); // capped at an hour
    assertEquals(0, ResetDuration.parseMillis("soon"));
  }

  private static long usedTokens(RateLimiter limiter) {
    return await(limiter.snapshot()).stream().filter(b -> b.kind().equals("tpm")).findFirst().orElseThrow().used();
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static ProxyError failure(Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return (ProxyError) e.getCause();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    throw new AssertionError("expected a failure");
  }
}
