package io.kimiproxy.api.governance;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.kimiproxy.testing.Stubs.CHAT_PATH;
import static io.kimiproxy.testing.Stubs.calls;
import static io.kimiproxy.testing.Stubs.chat;
import static io.kimiproxy.testing.Stubs.ok;
import static io.kimiproxy.testing.Stubs.okWithUsage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.OpenAiErrors;
import io.kimiproxy.testing.Poll;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The limiter through the real HTTP API: provider, model and client-key buckets never let more
 * through than their limit however many requests arrive at once; a request short of capacity waits
 * up to max_wait_ms, then gets 429 rate_limit_error with Retry-After; and a provider that says
 * (x-ratelimit-* headers) it has nothing left is not called again before its reset.
 */
class RateLimitConcurrencyTest {
  private static final String KEY_ONE = "sk-client-one-0123456789";
  private static final String KEY_TWO = "sk-client-two-0123456789";

  private static String config(String providerExtra, String rateLimits) {
    return """
        [providers.test]
        base_url = "{{UPSTREAM}}/v1"
        api_key = "${TEST_KEY}"
        %s

        [models."test/model"]
        provider = "test"
        model = "upstream-model"
        max_context = 100000

        [rate_limits]
        %s
        """.formatted(providerExtra, rateLimits);
  }

  private static HttpRequest chatRequest(TestProxy proxy, String content, String clientKey) {
    String body = new JsonObject().put("model", "test/model").put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", content))).encode();
    HttpRequest.Builder builder = proxy.request("/v1/chat/completions").header("Content-Type", "application/json");
    if (clientKey != null) builder.header("Authorization", "Bearer " + clientKey);
    return builder.POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private static HttpResponse<String> send(TestProxy proxy, String content) {
    return proxy.send(chatRequest(proxy, content, null));
  }

  /** The bucket of {@code scope} and {@code kind} ("rpm"/"tpm") in GET /api/rate-limit. */
  private static JsonObject bucket(TestProxy proxy, String scope, String kind) {
    HttpResponse<String> response = proxy.get("/api/rate-limit");
    assertEquals(200, response.statusCode(), response.body());
    for (Object o : new JsonObject(response.body()).getJsonArray("data")) {
      JsonObject b = (JsonObject) o;
      if (scope.equals(b.getString("scope")) && kind.equals(b.getString("kind"))) return b;
    }
    throw new AssertionError("no " + kind + " bucket for " + scope + " in " + response.body());
  }

  private static void assertRateLimited(HttpResponse<String> response) {
    JsonObject error = OpenAiErrors.assertError(response, 429, "rate_limit_error");
    assertEquals("rate_limit_exceeded", error.getString("code"));
    long retryAfter = Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow(
        () -> new AssertionError("no Retry-After on " + response.body())));
    assertTrue(retryAfter >= 1, "Retry-After " + retryAfter);
  }

  @Test
  void should_let_exactly_the_rpm_through_when_thirty_requests_arrive_at_once() {
    try (TestProxy proxy = TestProxy.start(config("rpm = 5", "max_wait_ms = 0"))) {
      proxy.upstream().stubFor(chat().willReturn(ok()));
      List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        inFlight.add(proxy.http().sendAsync(chatRequest(proxy, "Say hello " + i, null),
            HttpResponse.BodyHandlers.ofString()));
      }
      List<HttpResponse<String>> responses = inFlight.stream().map(CompletableFuture::join).toList();

      assertEquals(5, responses.stream().filter(r -> r.statusCode() == 200).count());
      List<HttpResponse<String>> refused = responses.stream().filter(r -> r.statusCode() != 200).toList();
      assertEquals(25, refused.size());
      refused.forEach(RateLimitConcurrencyTest::assertRateLimited);
      assertEquals(5, calls(proxy.upstream(), CHAT_PATH), "only the admitted requests reach the provider");

      JsonObject rpm = bucket(proxy, "provider:test", "rpm");
      assertEquals(5, rpm.getLong("used"), rpm.encode());
      assertEquals(5, rpm.getLong("limit"));
      assertEquals("critical", rpm.getString("level"));
      assertTrue(rpm.getLong("reset_ms") > 0, rpm.encode());
    }
  }

  @Test
  void should_debit_the_prompt_estimate_up_front_and_correct_it_by_the_real_usage() {
    try (TestProxy proxy = TestProxy.start(config("tpm = 1000", "max_wait_ms = 0"))) {
      // about 600 tokens: one fits in 1,000 per minute, two do not
      String prompt = "lorem ipsum dolor sit amet ".repeat(120);
      proxy.upstream().stubFor(chat().willReturn(okWithUsage(100, 50).withFixedDelay(1500)));

      CompletableFuture<HttpResponse<String>> first = proxy.http().sendAsync(chatRequest(proxy, prompt, null),
          HttpResponse.BodyHandlers.ofString());
      JsonObject debited = Poll.until(Duration.ofSeconds(10), () -> bucket(proxy, "provider:test", "tpm"),
          b -> b.getLong("used") >= 400, "the first request's estimate to be debited");
      assertTrue(debited.getLong("used") < 900, "only the estimate is debited: " + debited.encode());

      assertRateLimited(send(proxy, prompt));
      assertEquals(200, first.join().statusCode());
      assertEquals(1, calls(proxy.upstream(), CHAT_PATH), "the refused request never reached the provider");

      // The provider reported 150 tokens: the rest of the estimate goes back to the bucket.
      JsonObject corrected = Poll.until(Duration.ofSeconds(5), () -> bucket(proxy, "provider:test", "tpm"),
          b -> b.getLong("used") < 400, "the estimate to be corrected by the real usage");
      assertTrue(corrected.getLong("used") >= 100, corrected.encode());
      assertEquals(200, send(proxy, prompt).statusCode());
    }
  }

  @Test
  void should_refuse_at_once_a_prompt_larger_than_the_whole_tpm() {
    try (TestProxy proxy = TestProxy.start(config("tpm = 100", "max_wait_ms = 5000"))) {
      proxy.upstream().stubFor(chat().willReturn(ok()));
      HttpResponse<String> response = send(proxy, "lorem ipsum dolor sit amet ".repeat(120));
      assertRateLimited(response);
      assertTrue(new JsonObject(response.body()).getJsonObject("error").getString("message").contains("tokens"));
      assertEquals(0, calls(proxy.upstream(), CHAT_PATH));
    }
  }

  @Test
  void should_wait_up_to_max_wait_ms_for_capacity_and_then_answer() {
    // 1,200 tokens per minute refill 20 a second: a short prompt's estimate is back within the wait.
    try (TestProxy proxy = TestProxy.start(config("tpm = 1200", "max_wait_ms = 5000"))) {
      proxy.upstream().stubFor(chat().willReturn(okWithUsage(1190, 10)));
      assertEquals(200, send(proxy, "Say hello").statusCode());
      JsonObject spent = Poll.until(Duration.ofSeconds(5), () -> bucket(proxy, "provider:test", "tpm"),
          b -> b.getLong("used") >= 1150, "the real usage to fill the bucket");
      assertEquals("critical", spent.getString("level"), "nothing left, so the next request must wait");

      HttpResponse<String> waited = send(proxy, "Say hello");
      assertEquals(200, waited.statusCode(), waited.body());
      assertEquals(2, calls(proxy.upstream(), CHAT_PATH));
    }
  }

  @Test
  void should_limit_each_client_key_on_its_own() {
    String keys = "api_keys = [\"" + KEY_ONE + "\", \"" + KEY_TWO + "\"]";
    try (TestProxy proxy = TestProxy.start(config("", "max_wait_ms = 0\nclient_rpm = 1"), keys)) {
      proxy.upstream().stubFor(chat().willReturn(ok()));
      assertEquals(200, proxy.send(chatRequest(proxy, "one", KEY_ONE)).statusCode());
      assertRateLimited(proxy.send(chatRequest(proxy, "two", KEY_ONE)));
      assertEquals(200, proxy.send(chatRequest(proxy, "three", KEY_TWO)).statusCode());
      assertEquals(2, calls(proxy.upstream(), CHAT_PATH));

      HttpResponse<String> view = proxy.send(proxy.request("/api/rate-limit")
          .header("Authorization", "Bearer " + KEY_ONE).GET().build());
      assertEquals(200, view.statusCode(), view.body());
      assertTrue(view.body().contains("client:key-1") && view.body().contains("client:key-2"), view.body());
      assertTrue(!view.body().contains(KEY_ONE) && !view.body().contains(KEY_TWO), "keys never in responses");
    }
  }

  @Test
  void should_not_call_a_provider_that_reported_its_limit_exhausted_before_its_reset() {
    try (TestProxy proxy = TestProxy.start(config("", "max_wait_ms = 0"))) {
      proxy.upstream().stubFor(chat().willReturn(okWithUsage(10, 5)
          .withHeader("x-ratelimit-remaining-requests", "0")
          .withHeader("x-ratelimit-reset-requests", "20s")));
      assertEquals(200, send(proxy, "first").statusCode());

      HttpResponse<String> refused = send(proxy, "second");
      assertRateLimited(refused);
      long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
      assertTrue(retryAfter > 10 && retryAfter <= 20, "the provider's reset, not a guess: " + retryAfter);
      assertEquals(1, calls(proxy.upstream(), CHAT_PATH), "the provider was not called again before its reset");
    }
  }

  @Test
  void should_wait_for_a_provider_reset_that_falls_within_max_wait_ms() {
    try (TestProxy proxy = TestProxy.start(config("", "max_wait_ms = 5000"))) {
      proxy.upstream().stubFor(chat().willReturn(aResponse().withStatus(200)
          .withHeader("Content-Type", "application/json")
          .withHeader("x-ratelimit-remaining-tokens", "0")
          .withHeader("x-ratelimit-reset-tokens", "1s")
          .withBody(okWithUsage(10, 5).build().getBody())));
      assertEquals(200, send(proxy, "first").statusCode());
      assertEquals(200, send(proxy, "second").statusCode(), "waited for the reset, then went through");
      assertEquals(2, calls(proxy.upstream(), CHAT_PATH));
    }
  }
}
