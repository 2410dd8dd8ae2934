package io.kimiproxy.api.resilience;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.kimiproxy.testing.Stubs.calls;
import static io.kimiproxy.testing.Stubs.json;
import static io.kimiproxy.testing.Stubs.ok;
import static io.kimiproxy.testing.Stubs.sequence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.Poll;
import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11, item 9: the breaker must not hide the provider's answer. A 429 is the provider pacing
 * its clients: it starts a cool-down from its Retry-After and never counts toward the breaker; a
 * client request counts once, however many retries it made; and a request that ends because the
 * breaker opened meanwhile gets the last error a provider answered, not the breaker's 503.
 */
class BreakerSemanticsTest {
  private static final String FLAKY = "/flaky/v1/chat/completions";
  private static final String FRAGILE = "/fragile/v1/chat/completions";
  private static final String PACED = "/paced/v1/chat/completions";
  @RegisterExtension
  static final SharedProxy SHARED = SharedProxy.with("""
        [providers.flaky]
        base_url = "{{UPSTREAM}}/flaky/v1"
        retry_base_ms = 10

        [providers.fragile]
        base_url = "{{UPSTREAM}}/fragile/v1"
        max_retries = 3
        retry_base_ms = 10
        breaker_failures = 2

        [providers.paced]
        base_url = "{{UPSTREAM}}/paced/v1"
        max_retries = 0
        retry_after_max_s = 5
        breaker_failures = 1
        """);

  private static TestProxy proxy() {
    return SHARED.get();
  }

  private static HttpResponse<String> chat(String model, boolean stream) {
    return proxy().chat(model, stream, TestProxy.newSession());
  }

  private static String breaker(String provider) {
    for (Object p : new JsonObject(proxy().get("/api/providers").body()).getJsonArray("data")) {
      if (provider.equals(((JsonObject) p).getString("name"))) return ((JsonObject) p).getString("breaker");
    }
    throw new AssertionError("no provider " + provider);
  }

  /** What the OpenAI SDK does: a request, and up to two more while the answer is 408, 409, 429 or 5xx. */
  private static List<Integer> sdkCall(String model) {
    List<Integer> statuses = new ArrayList<>();
    for (int attempt = 0; attempt < 3; attempt++) {
      int status = chat(model, false).statusCode();
      statuses.add(status);
      if (!(status == 408 || status == 409 || status == 429 || status >= 500)) break;
    }
    return statuses;
  }

  @Test
  void should_answer_an_sdk_like_sequence_with_the_providers_own_statuses() {
    Map<Integer, String> answers = Map.of(400, "openai/error-400-unsupported-parameter.json",
        404, "openai/error-404-model-not-found.json", 429, "openai/error-429-rate-limit-exceeded-tokens.json",
        500, "openai/error-500-server-error.json");
    for (int status : List.of(400, 404, 429, 500)) {
      proxy().upstream().resetAll();
      sequence(proxy().upstream(), FLAKY, json(status, answers.get(status)));
      List<Integer> got = sdkCall("flaky/gpt");
      int tries = status >= 429 ? 3 : 1;
      assertEquals(Collections.nCopies(tries, status), got, "the SDK's calls answered " + status + " upstream");
    }
    assertEquals("closed", breaker("flaky"), "three requests failing through the provider's fault, of five allowed");
  }

  @Test
  void should_answer_a_stream_502_after_an_html_page_not_503() {
    sequence(proxy().upstream(), FLAKY, aResponse().withStatus(200).withHeader("Content-Type", "text/html")
        .withBody("<html><body>Gateway maintenance</body></html>"));
    HttpResponse<String> whole = chat("flaky/gpt", false);
    assertEquals(502, whole.statusCode(), whole.body());
    HttpResponse<String> streamed = chat("flaky/gpt", true);
    assertEquals(502, streamed.statusCode(), streamed.body());
    assertEquals("bad_upstream_response", new JsonObject(streamed.body()).getJsonObject("error").getString("code"));
  }

  @Test
  void should_count_a_request_once_however_many_retries_it_made() {
    sequence(proxy().upstream(), FRAGILE, json(503, "gemini/error-503-unavailable-overloaded.json"));
    assertEquals(503, chat("fragile/m", false).statusCode());
    assertEquals(4, calls(proxy().upstream(), FRAGILE), "the first call and three retries");
    assertEquals("closed", breaker("fragile"), "one request of the two that open it");
    assertEquals(503, chat("fragile/m", false).statusCode());
    assertEquals("open", breaker("fragile"));
    HttpResponse<String> refused = chat("fragile/m", false);
    assertEquals("provider_circuit_open", new JsonObject(refused.body()).getJsonObject("error").getString("code"));
    assertEquals(8, calls(proxy().upstream(), FRAGILE), "an open breaker calls nobody");
  }

  @Test
  void should_give_the_last_upstream_error_when_the_breaker_opens_during_the_request() {
    // The first answer asks for 2 s before the retry; two other requests open the breaker meanwhile.
    sequence(proxy().upstream(), FRAGILE, json(500, "openai/error-500-server-error.json").withHeader("Retry-After", "2"),
        json(500, "openai/error-500-server-error.json"));
    CompletableFuture<HttpResponse<String>> waiting = CompletableFuture.supplyAsync(() -> chat("fragile/m", false));
    Poll.until(Duration.ofSeconds(10), () -> calls(proxy().upstream(), FRAGILE), n -> n == 1, "the first call");
    assertEquals(500, chat("fragile/m", false).statusCode());
    assertEquals(500, chat("fragile/m", false).statusCode());
    assertEquals("open", breaker("fragile"));

    HttpResponse<String> response = waiting.join();
    assertEquals(500, response.statusCode(), response.body());
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    assertEquals("server_error", error.getString("type"));
    assertTrue(error.getString("message").startsWith("The server had an error processing your request"), response.body());
    assertEquals("2", response.headers().firstValue("Retry-After").orElseThrow());
    assertEquals(9, calls(proxy().upstream(), FRAGILE), "its retry was refused by the open breaker, not sent");
  }

  @Test
  void should_cool_down_after_a_429_without_opening_the_breaker() {
    sequence(proxy().upstream(), PACED,
        json(429, "openai/error-429-rate-limit-exceeded-tokens.json").withHeader("Retry-After", "60"));
    HttpResponse<String> paced = chat("paced/m", false);
    assertEquals(429, paced.statusCode());
    assertEquals("60", paced.headers().firstValue("Retry-After").orElseThrow());
    assertEquals("closed", breaker("paced"), "a 429 is no fault, even with breaker_failures = 1");

    HttpResponse<String> held = chat("paced/m", false);
    assertEquals(429, held.statusCode(), held.body());
    JsonObject error = new JsonObject(held.body()).getJsonObject("error");
    assertEquals("rate_limit_error", error.getString("type"));
    assertEquals("provider_cooling_down", error.getString("code"));
    long left = Long.parseLong(held.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(left > 50 && left <= 60, "Retry-After " + left);
    assertEquals(1, calls(proxy().upstream(), PACED), "nothing is sent while the provider cools down");
  }

  @Test
  void should_wait_out_a_short_cool_down_before_calling_again() {
    sequence(proxy().upstream(), PACED,
        json(429, "openai/error-429-rate-limit-exceeded-tokens.json").withHeader("Retry-After", "1"), ok());
    assertEquals(429, chat("paced/m", false).statusCode());
    long start = System.nanoTime();
    HttpResponse<String> answered = chat("paced/m", false);
    long waitedMs = (System.nanoTime() - start) / 1_000_000;
    assertEquals(200, answered.statusCode(), answered.body());
    assertTrue(waitedMs >= 500, "called again after " + waitedMs + " ms, inside the provider's 1 s pause");
    assertEquals(2, calls(proxy().upstream(), PACED));
  }
}
