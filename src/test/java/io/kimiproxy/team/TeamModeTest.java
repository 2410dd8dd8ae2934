package io.kimiproxy.team;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.LiveFeed;
import io.kimiproxy.testing.Poll;
import io.kimiproxy.testing.Stubs;
import io.kimiproxy.testing.TeamOfTwo;
import io.kimiproxy.testing.TestProxy;
import io.kimiproxy.testing.engines.PostgresEngine;
import io.kimiproxy.testing.engines.RedisEngine;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two instances, one PostgreSQL, one Redis: limits, budgets and the live view hold for the team as a whole. */
class TeamModeTest {
  @RegisterExtension static final PostgresEngine PG = new PostgresEngine();
  @RegisterExtension static final RedisEngine REDIS = new RedisEngine();

  /** The provider every team test calls (WireMock), no retries, limits that refuse at once. */
  static final String PROVIDER = """
      [rate_limits]
      max_wait_ms = 0

      [providers.test]
      base_url = "{{UPSTREAM}}/v1"
      api_key = "${TEST_KEY}"
      timeout_s = 10
      max_retries = 0

      """;

  static final String CONFIG = PROVIDER + """
      [models."team/limited"]
      provider = "test"
      model = "upstream-model"
      rpm = 5

      [models."team/budget"]
      provider = "test"
      model = "upstream-model"
      max_context = 2000
      input_price = 1.0
      output_price = 1.0

      [models."team/open"]
      provider = "test"
      model = "upstream-model"

      [quotas."model:team/budget"]
      daily_usd = 0.003

      [providers.flaky]
      base_url = "{{UPSTREAM}}/flaky/v1"
      api_key = "${TEST_KEY}"
      timeout_s = 10
      max_retries = 0
      breaker_failures = 2
      breaker_reset_s = 60

      [models."team/flaky"]
      provider = "flaky"
      model = "upstream-model"

      [providers.paced]
      base_url = "{{UPSTREAM}}/paced/v1"
      api_key = "${TEST_KEY}"
      timeout_s = 10
      max_retries = 0

      [models."team/paced"]
      provider = "paced"
      model = "upstream-model"
      """;

  private static TeamOfTwo team;

  @BeforeAll
  static void startTeam() {
    team = TeamOfTwo.start(PG.url(), REDIS.url(), "", "", CONFIG);
  }

  @AfterAll
  static void stopTeam() {
    if (team != null) team.close();
  }

  @BeforeEach
  void answerEveryCall() {
    team.upstream().resetAll();
    team.upstream().stubFor(post(urlEqualTo(Stubs.CHAT_PATH)).willReturn(Stubs.okWithUsage(1000, 1000)));
  }

  @Test
  void should_let_exactly_the_team_rpm_through_when_both_instances_are_asked_at_once() {
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      TestProxy instance = i % 2 == 0 ? team.a() : team.b();
      calls.add(instance.http().sendAsync(chat(instance, "team/limited", TestProxy.newSession()),
          HttpResponse.BodyHandlers.ofString()));
    }
    Map<Integer, Integer> statuses = new TreeMap<>();
    calls.forEach(call -> statuses.merge(call.join().statusCode(), 1, Integer::sum));
    assertEquals(Map.of(200, 5, 429, 15), statuses);
  }

  @Test
  void should_stop_both_instances_once_their_requests_spent_the_daily_budget() {
    String session = TestProxy.newSession();
    assertEquals(200, team.a().send(chat(team.a(), "team/budget", session)).statusCode());
    assertEquals(200, team.b().send(chat(team.b(), "team/budget", session)).statusCode());
    for (TestProxy instance : List.of(team.a(), team.b())) {
      HttpResponse<String> refused = instance.send(chat(instance, "team/budget", session));
      assertEquals(429, refused.statusCode(), refused.body());
      assertEquals("insufficient_quota", new JsonObject(refused.body()).getJsonObject("error").getString("code"));
    }
    JsonObject budget = new JsonObject(team.b().get("/api/quotas").body()).getJsonArray("data").getJsonObject(0);
    assertEquals(0.004, budget.getDouble("used"), 1e-9);
    assertEquals("exhausted", budget.getString("level"));
  }

  @Test
  void should_show_a_request_answered_by_one_instance_on_the_other_instances_dashboard() {
    try (LiveFeed feed = LiveFeed.connect(team.b(), "")) {
      feed.next("init");
      String session = TestProxy.newSession();
      HttpResponse<String> answered = team.a().send(chat(team.a(), "team/open", session));
      long answeredAt = System.nanoTime();
      String id = answered.headers().firstValue("X-Request-Id").orElseThrow();
      JsonObject event = feed.next(m -> "request".equals(m.getString("type"))
          && id.equals(m.getJsonObject("data").getString("id")), "request " + id);
      long waitedMs = (System.nanoTime() - answeredAt) / 1_000_000;
      assertTrue(waitedMs < 1_000, "the event took " + waitedMs + " ms to reach the other instance");
      assertEquals(session, event.getJsonObject("data").getString("session"));
      Poll.until(Duration.ofSeconds(5), () -> team.b().get("/api/sessions").body(), body -> body.contains(session),
          "session " + session + " in instance b's /api/sessions");
    }
  }

  @Test
  void should_show_each_event_once_on_the_instance_that_published_it() {
    try (LiveFeed feed = LiveFeed.connect(team.a(), "")) {
      feed.next("init");
      String id = team.a().send(chat(team.a(), "team/open", TestProxy.newSession())).headers()
          .firstValue("X-Request-Id").orElseThrow();
      String marker = team.b().send(chat(team.b(), "team/open", TestProxy.newSession())).headers()
          .firstValue("X-Request-Id").orElseThrow();
      List<String> seen = new ArrayList<>();
      feed.next(m -> {
        if ("request".equals(m.getString("type"))) seen.add(m.getJsonObject("data").getString("id"));
        return seen.contains(marker);
      }, "instance b's request " + marker);
      assertEquals(1, seen.stream().filter(id::equals).count(), "events seen: " + seen);
    }
  }

  @Test
  void should_keep_a_breaker_opened_by_one_instance_open_in_the_other() {
    team.upstream().stubFor(post(urlEqualTo("/flaky" + Stubs.CHAT_PATH)).willReturn(Stubs.json(500, "openai/error-500-server-error.json")));
    for (int i = 0; i < 2; i++) {
      assertEquals(500, team.a().send(chat(team.a(), "team/flaky", TestProxy.newSession())).statusCode());
    }
    Poll.until(Duration.ofSeconds(5), () -> providerState(team.b(), "flaky"), "open"::equals,
        "instance b seeing the flaky provider's breaker open");
    int calls = Stubs.calls(team.upstream(), "/flaky" + Stubs.CHAT_PATH);
    HttpResponse<String> refused = team.b().send(chat(team.b(), "team/flaky", TestProxy.newSession()));
    assertEquals(503, refused.statusCode(), refused.body());
    assertEquals("provider_circuit_open", new JsonObject(refused.body()).getJsonObject("error").getString("code"));
    assertEquals(calls, Stubs.calls(team.upstream(), "/flaky" + Stubs.CHAT_PATH), "instance b called nobody");
    team.a().post("/api/recovery/reset-breakers", "{}");
    Poll.until(Duration.ofSeconds(5), () -> providerState(team.b(), "flaky"), "closed"::equals,
        "instance b seeing the breaker closed by a's reset");
  }

  @Test
  void should_hold_back_calls_on_every_instance_while_a_provider_asked_one_of_them_to_pause() {
    // Only the first call is asked to pause: an instance that saw none itself can only be holding
    // back because another one told it.
    Stubs.sequence(team.upstream(), "/paced" + Stubs.CHAT_PATH,
        Stubs.json(429, "openai/error-429-rate-limit-exceeded-tokens.json").withHeader("Retry-After", "60"),
        Stubs.okWithUsage(10, 5));
    assertEquals(429, team.a().send(chat(team.a(), "team/paced", TestProxy.newSession())).statusCode());
    Poll.until(Duration.ofSeconds(5), () -> team.b().send(chat(team.b(), "team/paced", TestProxy.newSession())).body(),
        body -> body.contains("provider_cooling_down"), "instance b holding back the provider a was asked to pause");
    int calls = Stubs.calls(team.upstream(), "/paced" + Stubs.CHAT_PATH);
    HttpResponse<String> held = team.b().send(chat(team.b(), "team/paced", TestProxy.newSession()));
    assertEquals(429, held.statusCode(), held.body());
    assertEquals(calls, Stubs.calls(team.upstream(), "/paced" + Stubs.CHAT_PATH), "instance b called nobody");
  }

  private static String providerState(TestProxy instance, String provider) {
    return new JsonObject(instance.get("/api/providers").body()).getJsonArray("data").stream()
        .map(JsonObject.class::cast).filter(p -> provider.equals(p.getString("name"))).findFirst()
        .map(p -> p.getString("breaker")).orElse("");
  }

  static HttpRequest chat(TestProxy instance, String model, String session) {
    String body = "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
    return instance.request("/v1/chat/completions").header("Content-Type", "application/json")
        .header("X-Session-Id", session).POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }
}
