package io.kimiproxy.proxy.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.config.Resilience;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final Resilience POLICY = new Resilience(3, 100, 10_000, 5, 30_000);

  @Test
  void should_double_the_backoff_each_retry_with_jitter_in_the_upper_half() {
    for (int retry = 0; retry < 3; retry++) {
      long ceiling = 100L << retry;
      assertEquals(ceiling / 2, Backoff.delayMs(POLICY, retry, null, 0.0));
      long top = Backoff.delayMs(POLICY, retry, null, 0.999999);
      assertTrue(top > ceiling * 9 / 10 && top <= ceiling, "retry " + retry + ": " + top);
    }
  }

  @Test
  void should_give_up_after_max_retries() {
    assertEquals(Backoff.GIVE_UP, Backoff.delayMs(POLICY, 3, null, 0.5));
    assertEquals(Backoff.GIVE_UP, Backoff.delayMs(new Resilience(0, 100, 10_000, 5, 30_000), 0, null, 0.5));
  }

  @Test
  void should_cap_the_backoff_however_many_retries() {
    Resilience many = new Resilience(10, 20_000, 10_000, 5, 30_000);
    assertTrue(Backoff.delayMs(many, 9, null, 0.999) <= Backoff.MAX_DELAY_MS);
  }

  @Test
  void should_wait_out_retry_after_up_to_the_cap() {
    assertEquals(2_000, Backoff.delayMs(POLICY, 0, "2", 0.5));
    assertEquals(1_500, Backoff.delayMs(POLICY, 0, "1.5", 0.5));
    assertEquals(Backoff.GIVE_UP, Backoff.delayMs(POLICY, 0, "11", 0.5), "longer than retry_after_max_s: fall back instead");
    // A Retry-After shorter than the backoff does not make the proxy hammer sooner.
    assertEquals(50, Backoff.delayMs(POLICY, 0, "0", 0.0));
  }

  @Test
  void should_read_retry_after_as_seconds_or_http_date() {
    long now = ZonedDateTime.of(2026, 3, 1, 12, 0, 0, 0, ZoneOffset.UTC).toInstant().toEpochMilli();
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.of(2026, 3, 1, 12, 0, 7, 0, ZoneOffset.UTC));
    assertEquals(7_000, Backoff.retryAfterMs(date, now));
    assertEquals(3_000, Backoff.retryAfterMs(" 3 ", now));
    assertEquals(-1, Backoff.retryAfterMs("soon", now));
    assertEquals(-1, Backoff.retryAfterMs(null, now));
  }
}
