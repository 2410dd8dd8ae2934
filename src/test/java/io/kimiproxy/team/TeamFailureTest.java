package io.kimiproxy.team;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.kimiproxy.team.TeamModeTest.chat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kimiproxy.testing.Poll;
import io.kimiproxy.testing.Stubs;
import io.kimiproxy.testing.TeamOfTwo;
import io.kimiproxy.testing.TestProxy;
import io.kimiproxy.testing.engines.PostgresEngine;
import io.kimiproxy.testing.engines.RedisEngine;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A team whose engines fail mid-run: Redis killed (instance A fails open, B closed), PostgreSQL
 * restarted. Requests are answered all along, as configured; nothing acknowledged is lost.
 */
class TeamFailureTest {
  @RegisterExtension static final PostgresEngine PG = new PostgresEngine();
  @RegisterExtension static final RedisEngine REDIS = new RedisEngine();

  private static final String CONFIG = TeamModeTest.PROVIDER + """
      [models."team/limited"]
      provider = "test"
      model = "upstream-model"
      rpm = 2

      [models."team/open"]
      provider = "test"
      model = "upstream-model"
      """;

  private static TeamOfTwo team;

  @BeforeAll
  static void startTeam() {
    team = TeamOfTwo.start(PG.url(), REDIS.url(), "on_failure = \"open\"", "on_failure = \"closed\"", CONFIG);
  }

  @AfterAll
  static void stopTeam() {
    if (team != null) team.close();
  }

  @BeforeEach
  void answerEveryCall() {
    team.upstream().resetAll();
    team.upstream().stubFor(post(urlEqualTo(Stubs.CHAT_PATH)).willReturn(Stubs.okWithUsage(10, 5)));
  }

  @Test
  void should_answer_as_on_failure_says_while_redis_is_down_and_limit_again_once_it_is_back() {
    REDIS.kill();
    try {
      for (int i = 0; i < 4; i++) {
        HttpResponse<String> open = team.a().send(chat(team.a(), "team/limited", TestProxy.newSession()));
        assertEquals(200, open.statusCode(), "fail open: limits unchecked, " + open.body());
      }
      HttpResponse<String> closed = team.b().send(chat(team.b(), "team/limited", TestProxy.newSession()));
      assertEquals(503, closed.statusCode(), closed.body());
      assertEquals("shared_state_unavailable", new JsonObject(closed.body()).getJsonObject("error").getString("code"));
      assertEquals("1", closed.headers().firstValue("Retry-After").orElse(null));
      Poll.until(Duration.ofSeconds(10), () -> team.a().get("/api/alerts").body(),
          body -> body.contains("Redis is unreachable"), "an alert that Redis is unreachable");
    } finally {
      REDIS.start();
    }
    Poll.until(Duration.ofSeconds(10), () -> team.a().get("/api/rate-limit").statusCode(), status -> status == 200,
        "instance a reading its limits from Redis again");
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 3; i++) statuses.add(team.a().send(chat(team.a(), "team/limited", TestProxy.newSession())).statusCode());
    assertEquals(List.of(200, 200, 429), statuses);
  }

  @Test
  void should_keep_every_acknowledged_ledger_row_when_postgres_restarts() {
    String session = TestProxy.newSession();
    int answered = 0;
    for (int i = 0; i < 3; i++) answered += ok(team.a(), session);
    PG.stop();
    try {
      for (int i = 0; i < 3; i++) answered += ok(i % 2 == 0 ? team.a() : team.b(), session);
    } finally {
      PG.start();
    }
    for (int i = 0; i < 3; i++) answered += ok(team.b(), session);
    int expected = answered;
    Poll.until(Duration.ofSeconds(20), () -> team.b().get("/api/sessions/" + session),
        r -> r.statusCode() == 200 && new JsonObject(r.body()).getJsonArray("requests").size() == expected,
        expected + " ledger rows of session " + session);
  }

  private static int ok(TestProxy instance, String session) {
    HttpResponse<String> response = instance.send(chat(instance, "team/open", session));
    assertEquals(200, response.statusCode(), response.body());
    return 1;
  }
}
