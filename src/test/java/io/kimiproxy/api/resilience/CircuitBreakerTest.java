package io.kimiproxy.api.resilience;

import static io.kimiproxy.testing.LedgerAssertions.assertAttempts;
import static io.kimiproxy.testing.Stubs.calls;
import static io.kimiproxy.testing.Stubs.json;
import static io.kimiproxy.testing.Stubs.ok;
import static io.kimiproxy.testing.Stubs.sequence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.core.events.EventNames;
import io.kimiproxy.testing.Ledger;
import io.kimiproxy.testing.LiveFeed;
import io.kimiproxy.testing.Poll;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * After breaker_failures consecutive provider faults the breaker opens: calls fail at once with
 * 503 provider_circuit_open (or go to a fallback) without reaching the provider. After
 * breaker_reset_s one probe goes through; its success closes the breaker again.
 */
class CircuitBreakerTest {
  private static final String FRAGILE = "/fragile/v1/chat/completions";
  private static final String STEADY = "/steady/v1/chat/completions";
  private TestProxy proxy;
  private LiveFeed feed;

  @BeforeEach
  void start() {
    proxy = TestProxy.start("""
        [providers.fragile]
        base_url = "{{UPSTREAM}}/fragile/v1"
        max_retries = 0
        breaker_failures = 2
        breaker_reset_s = 1

        [providers.steady]
        base_url = "{{UPSTREAM}}/steady/v1"

        [models."fragile/alone"]
        provider = "fragile"
        model = "f"

        [models."fragile/covered"]
        provider = "fragile"
        model = "f"
        fallbacks = ["steady/m"]

        [models."steady/m"]
        provider = "steady"
        model = "s"
        """);
    sequence(proxy.upstream(), FRAGILE, json(503, "gemini/error-503-unavailable-overloaded.json"));
    sequence(proxy.upstream(), STEADY, ok());
    feed = LiveFeed.connect(proxy, "");
    feed.next("init");
  }

  @AfterEach
  void stop() {
    feed.close();
    proxy.close();
  }

  private HttpResponse<String> chat(String model) {
    return proxy.chat(model, false, TestProxy.newSession());
  }

  private JsonObject provider(String name) {
    for (Object p : new JsonObject(proxy.get("/api/providers").body()).getJsonArray("data")) {
      if (name.equals(((JsonObject) p).getString("name"))) return (JsonObject) p;
    }
    throw new AssertionError("no provider " + name);
  }

  private void openTheBreaker() {
    assertEquals(503, chat("fragile/alone").statusCode());
    assertEquals("closed", provider("fragile").getString("breaker"), "one failure is not enough");
    assertEquals(503, chat("fragile/alone").statusCode());
    awaitBreaker("open");
  }

  /** The next provider_state events the dashboard receives. */
  private List<JsonObject> stateEvents(int count) {
    List<JsonObject> events = new ArrayList<>();
    for (int i = 0; i < count; i++) events.add(feed.next(EventNames.PROVIDER_STATE).getJsonObject("data"));
    return events;
  }

  private static List<String> breakers(List<JsonObject> events) {
    return events.stream().map(e -> e.getString("breaker")).toList();
  }

  /** The breaker takes in a call's result a turn of the event loop after the answer: wait, briefly. */
  private void awaitBreaker(String state) {
    Poll.until(Duration.ofSeconds(5), () -> provider("fragile").getString("breaker"), state::equals,
        "the breaker to be " + state);
  }

  /** The breaker gauge in the Prometheus metrics: 0 closed, 1 half open, 2 open. */
  private String breakerGauge() {
    return proxy.get("/metrics").body().lines().filter(l -> l.startsWith("kimi_breaker_state{provider=\"fragile\"}"))
        .findFirst().orElseThrow();
  }

  @Test
  void should_fail_fast_while_open_then_close_after_a_successful_probe() {
    openTheBreaker();
    HttpResponse<String> refused = chat("fragile/alone");
    assertEquals(503, refused.statusCode());
    assertEquals("provider_circuit_open", new JsonObject(refused.body()).getJsonObject("error").getString("code"));
    assertEquals("1", refused.headers().firstValue("Retry-After").orElseThrow());
    assertEquals(2, calls(proxy.upstream(), FRAGILE), "an open breaker does not call the provider");
    JsonObject status = provider("fragile");
    assertEquals(1.0, status.getDouble("error_rate"));
    assertEquals(2, status.getLong("requests"));
    assertTrue(breakerGauge().endsWith(" 2.0"), breakerGauge());

    awaitBreaker("half_open");
    proxy.upstream().resetAll();
    sequence(proxy.upstream(), FRAGILE, ok());
    assertEquals(200, chat("fragile/alone").statusCode());
    awaitBreaker("closed");
    assertTrue(breakerGauge().endsWith(" 0.0"), breakerGauge());
    List<JsonObject> events = stateEvents(3);
    assertEquals(List.of("open", "half_open", "closed"), breakers(events));
    JsonObject event = events.get(0);
    assertEquals("fragile", event.getString("provider"));
    assertEquals(1.0, event.getDouble("error_rate"));
    assertEquals(List.of("provider", "breaker", "latency_p50_ms", "latency_p95_ms", "error_rate"),
        List.copyOf(event.fieldNames()));
  }

  @Test
  void should_open_again_when_the_probe_fails() {
    openTheBreaker();
    awaitBreaker("half_open");
    assertEquals(503, chat("fragile/alone").statusCode());
    awaitBreaker("open");
    assertEquals(3, calls(proxy.upstream(), FRAGILE), "one probe");
    assertEquals(List.of("open", "half_open", "open"), breakers(stateEvents(3)));
  }

  @Test
  void should_go_straight_to_the_fallback_while_open() {
    openTheBreaker();
    String session = TestProxy.newSession();
    HttpResponse<String> response = proxy.chat("fragile/covered", false, session);
    assertEquals(200, response.statusCode(), response.body());
    assertEquals(2, calls(proxy.upstream(), FRAGILE));
    List<JsonObject> rows = Ledger.rows(proxy, session);
    assertAttempts(rows, 503, 200);
    assertEquals("provider_circuit_open", rows.get(0).getString("error_code"));
    JsonObject fallback = feed.next(EventNames.MODEL_FALLBACK).getJsonObject("data");
    assertEquals("circuit_open", fallback.getString("reason"));
    assertEquals("steady/m", fallback.getString("to"));
  }

  @Test
  void should_close_every_breaker_on_reset() {
    openTheBreaker();
    assertEquals(1, proxy.server().providerHealth().resetBreakers(), "one breaker was open");
    assertEquals("closed", provider("fragile").getString("breaker"));
    assertEquals(List.of("open", "closed"), breakers(stateEvents(2)));
    assertEquals(503, chat("fragile/alone").statusCode(), "calls reach the provider again");
    assertEquals(3, calls(proxy.upstream(), FRAGILE));
  }

  @Test
  void should_not_count_request_errors_against_the_provider() {
    proxy.upstream().resetAll();
    sequence(proxy.upstream(), FRAGILE, json(400, "openai/error-400-unsupported-parameter.json"));
    for (int i = 0; i < 3; i++) assertEquals(400, chat("fragile/alone").statusCode());
    JsonObject status = provider("fragile");
    assertEquals("closed", status.getString("breaker"));
    assertEquals(0.0, status.getDouble("error_rate"));
  }
}
