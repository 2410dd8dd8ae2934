package io.kimiproxy.api.resilience;

import static io.kimiproxy.testing.LedgerAssertions.assertAttempts;
import static io.kimiproxy.testing.Stubs.calls;
import static io.kimiproxy.testing.Stubs.json;
import static io.kimiproxy.testing.Stubs.ok;
import static io.kimiproxy.testing.Stubs.sequence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.Ledger;
import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.TestProxy;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A 429 is retried after the provider's Retry-After, as long as that is within retry_after_max_s;
 * a longer one goes to the fallback at once, or back to the client with its Retry-After.
 */
class RateLimitRetryAfterTest {
  private static final String LIMITED = "/limited/v1/chat/completions";
  private static final String SPARE = "/spare/v1/chat/completions";
  @RegisterExtension
  static final SharedProxy SHARED = SharedProxy.with("""
        [providers.limited]
        base_url = "{{UPSTREAM}}/limited/v1"
        max_retries = 2
        retry_base_ms = 10
        retry_after_max_s = 5
        breaker_failures = 1000

        [providers.spare]
        base_url = "{{UPSTREAM}}/spare/v1"

        [models."limited/m"]
        provider = "limited"
        model = "l"

        [models."limited/covered"]
        provider = "limited"
        model = "l"
        fallbacks = ["spare/m"]

        [models."spare/m"]
        provider = "spare"
        model = "s"
        """);

  @Test
  void should_wait_out_retry_after_then_retry() {
    sequence(proxy().upstream(), LIMITED,
        json(429, "openai/error-429-rate-limit-exceeded-tokens.json").withHeader("Retry-After", "1"), ok());
    String session = TestProxy.newSession();
    long start = System.nanoTime();
    HttpResponse<String> response = proxy().chat("limited/m", false, session);
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertEquals(200, response.statusCode(), response.body());
    assertTrue(elapsedMs >= 1_000, "retried after " + elapsedMs + " ms, before the 1 s the provider asked for");
    assertAttempts(Ledger.rows(proxy(), session), 429, 200);
  }

  @Test
  void should_hand_a_long_retry_after_back_to_the_client_without_waiting() {
    sequence(proxy().upstream(), LIMITED,
        json(429, "openrouter/error-429-rate-limit-free-model.json").withHeader("Retry-After", "60"), ok());
    String session = TestProxy.newSession();
    HttpResponse<String> response = proxy().chat("limited/m", false, session);
    assertEquals(429, response.statusCode(), response.body());
    assertEquals("60", response.headers().firstValue("Retry-After").orElseThrow());
    assertEquals(1, calls(proxy().upstream(), LIMITED));
    assertAttempts(Ledger.rows(proxy(), session), 429);
  }

  @Test
  void should_fall_back_at_once_on_a_long_retry_after() {
    sequence(proxy().upstream(), LIMITED,
        json(429, "openrouter/error-429-rate-limit-free-model.json").withHeader("Retry-After", "60"));
    sequence(proxy().upstream(), SPARE, ok());
    String session = TestProxy.newSession();
    assertEquals(200, proxy().chat("limited/covered", false, session).statusCode());
    assertEquals(1, calls(proxy().upstream(), LIMITED));
    assertAttempts(Ledger.rows(proxy(), session), 429, 200);
  }

  private static TestProxy proxy() {
    return SHARED.get();
  }
}
