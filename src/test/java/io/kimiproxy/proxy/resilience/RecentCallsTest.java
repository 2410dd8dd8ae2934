package io.kimiproxy.proxy.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class RecentCallsTest {

  @Test
  void should_report_nothing_before_any_call() {
    ProviderStatus status = new RecentCalls(10).status("p", "closed");
    assertNull(status.latencyP50Ms());
    assertNull(status.latencyP95Ms());
    assertEquals(0.0, status.errorRate());
    assertEquals(0, status.requests());
  }

  @Test
  void should_compute_nearest_rank_percentiles_over_the_window_only() {
    RecentCalls calls = new RecentCalls(100);
    for (int i = 0; i < 50; i++) calls.latency(10_000); // pushed out of the window below
    for (int i = 1; i <= 100; i++) calls.latency(i);
    ProviderStatus status = calls.status("p", "closed");
    assertEquals(50, status.latencyP50Ms());
    assertEquals(95, status.latencyP95Ms());
  }

  @Test
  void should_count_the_error_rate_over_the_window_and_calls_since_start() {
    RecentCalls calls = new RecentCalls(4);
    calls.outcome(true);
    calls.outcome(true);
    calls.outcome(false);
    calls.outcome(false);
    calls.outcome(false); // the first failure leaves the window
    ProviderStatus status = calls.status("p", "open");
    assertEquals(0.25, status.errorRate());
    assertEquals(5, status.requests());
    assertEquals("open", status.breaker());
  }
}
