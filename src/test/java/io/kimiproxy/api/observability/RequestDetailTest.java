package io.kimiproxy.api.observability;

import static io.kimiproxy.testing.Stubs.json;
import static io.kimiproxy.testing.Stubs.okWithUsage;
import static io.kimiproxy.testing.Stubs.sequence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.LiveFeed;
import io.kimiproxy.testing.OpenAiErrors;
import io.kimiproxy.testing.Poll;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What the dashboard shows of one request and one session must be true: a refused request keeps
 * the model's window (so the session's fill is its prompt over that window, not 0 %), a request's
 * attempts are grouped under it with its queue time and what the steps changed, the phase outlives
 * a reload of the page, and the uptime outlives a reload of the configuration.
 */
class RequestDetailTest {
  private static final String CONFIG = TestProxy.ONE_PROVIDER.replace("timeout_s = 10",
      "timeout_s = 10\nmax_retries = 1\nretry_base_ms = 10") + """

      [compaction]
      enabled = false
      """;

  private static HttpResponse<String> chat(TestProxy proxy, String session, String content, Integer maxTokens) {
    JsonObject body = new JsonObject().put("model", "test/model")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", content)));
    if (maxTokens != null) body.put("max_tokens", maxTokens);
    return proxy.send(proxy.request("/v1/chat/completions").header("Content-Type", "application/json")
        .header("X-Session-Id", session).POST(HttpRequest.BodyPublishers.ofString(body.encode())).build());
  }

  private static JsonObject get(TestProxy proxy, String path) {
    HttpResponse<String> response = proxy.get(path);
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  @Test
  void should_keep_the_window_and_the_fill_of_a_request_refused_for_its_length() {
    try (TestProxy proxy = TestProxy.start(CONFIG)) {
      proxy.upstream().stubFor(io.kimiproxy.testing.Stubs.chat().willReturn(okWithUsage(10, 2)));
      String session = "refused-" + System.nanoTime();
      HttpResponse<String> refused = chat(proxy, session, "word ".repeat(700), 400);
      OpenAiErrors.assertError(refused, 400, "invalid_request_error");
      assertTrue(refused.body().contains("context_length_exceeded"), refused.body());

      JsonObject summary = get(proxy, "/api/sessions/" + session);
      assertEquals(1000, summary.getLong("max_context"), summary.encode());
      long prompt = summary.getLong("last_prompt_tokens");
      assertTrue(prompt > 600, summary.encode());
      assertEquals(prompt / 1000.0, summary.getDouble("context_fill"), 1e-9, summary.encode());
    }
  }

  @Test
  void should_group_attempts_under_their_request_with_queue_time_and_steps() {
    try (TestProxy proxy = TestProxy.start(CONFIG)) {
      sequence(proxy.upstream(), "/v1/chat/completions", json(500, "openai/error-500-server-error.json"),
          okWithUsage(40, 3));
      String session = "detail-" + System.nanoTime();
      HttpResponse<String> answered = chat(proxy, session, "deploy with api_key = \"a1b2c3d4e5f6g7h8\" please", null);
      assertEquals(200, answered.statusCode(), answered.body());
      String id = answered.headers().firstValue("X-Request-Id").orElseThrow();

      JsonObject detail = get(proxy, "/api/requests/" + id);
      assertEquals(id, detail.getString("id"));
      assertEquals(200, detail.getInteger("status"));
      assertEquals(2, detail.getInteger("attempt"));
      assertTrue(detail.getLong("queue_ms") >= 0, detail.encode());
      assertEquals(1, detail.getLong("redacted"), "the api_key was redacted before it left: " + detail.encode());
      assertEquals(0, detail.getLong("masked"));
      assertEquals(0, detail.getLong("compaction_saved_tokens"));
      assertEquals(0, detail.getLong("guard_flagged"));
      assertEquals(0, detail.getLong("guard_blocked"));
      JsonArray attempts = detail.getJsonArray("attempts");
      assertEquals(2, attempts.size(), attempts.encode());
      assertEquals(1, attempts.getJsonObject(0).getInteger("attempt"));
      assertEquals(500, attempts.getJsonObject(0).getInteger("status"));
      assertEquals(id, attempts.getJsonObject(0).getString("parent_id"));
      assertEquals(200, attempts.getJsonObject(1).getInteger("status"));
      assertEquals(id, attempts.getJsonObject(1).getString("id"));
      assertTrue(attempts.getJsonObject(0).getLong("ts") <= attempts.getJsonObject(1).getLong("ts") + attempts.getJsonObject(1).getLong("latency_ms"));

      assertEquals(id, get(proxy, "/api/requests/" + id + ".1").getString("id"), "an attempt leads to its request");
      OpenAiErrors.assertError(proxy.get("/api/requests/nope"), 404, "invalid_request_error");
    }
  }

  @Test
  void should_send_the_stored_phase_in_the_snapshot_and_keep_the_uptime_across_a_reload() throws Exception {
    try (TestProxy proxy = TestProxy.start(CONFIG)) {
      proxy.upstream().stubFor(io.kimiproxy.testing.Stubs.chat().willReturn(okWithUsage(700, 2)));
      String session = "phase-" + System.nanoTime();
      assertEquals(200, chat(proxy, session, "word ".repeat(650), 50).statusCode());
      Poll.until(Duration.ofSeconds(5), () -> get(proxy, "/api/sessions/" + session).getString("phase"),
          "CONVERGENCE"::equals, "the session's phase");
      try (LiveFeed feed = LiveFeed.connect(proxy, "")) {
        JsonArray sessions = feed.next("init").getJsonObject("data").getJsonArray("sessions");
        JsonObject seen = sessions.stream().map(JsonObject.class::cast).filter(s -> s.getString("id").equals(session))
            .findFirst().orElseThrow();
        assertEquals("CONVERGENCE", seen.getString("phase"), seen.encode());
      }

      Poll.until(Duration.ofSeconds(10), () -> get(proxy, "/health").getLong("uptime_s"), up -> up >= 1, "a second of uptime");
      HttpResponse<String> reload = proxy.post("/api/recovery/reload-config", "");
      assertEquals(200, reload.statusCode(), reload.body());
      assertTrue(get(proxy, "/health").getLong("uptime_s") >= 1, "the uptime is the server's, not the configuration's");
    }
  }
}
