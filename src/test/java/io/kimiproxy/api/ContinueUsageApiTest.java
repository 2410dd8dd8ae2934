package io.kimiproxy.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.Poll;
import io.kimiproxy.testing.Fixtures;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Continue's log followed through the real proxy: the sample, then appends, a rotation and a truncation. */
class ContinueUsageApiTest {
  private static final String CONFIG = TestProxy.ONE_PROVIDER + """

      [importers.cline]
      enabled = false

      [importers.continue]
      poll_s = 0.05
      max_poll_s = 0.2
      path = "%s"
      """;

  private static JsonObject usage(TestProxy proxy) {
    return new JsonObject(proxy.get("/api/continue/usage?limit=50").body());
  }

  private static JsonObject awaitRequests(TestProxy proxy, long requests, String what) {
    return Poll.until(Duration.ofSeconds(10), () -> usage(proxy),
        u -> u.getJsonObject("totals").getLong("requests") == requests, what);
  }

  @Test
  void should_follow_the_log_through_appends_rotation_and_truncation_beside_the_proxy_numbers() throws Exception {
    Path folder = Files.createTempDirectory("continue");
    Path log = folder.resolve("core.log");
    Files.copy(Path.of("tests-data", "importers", "continue", "core.log"), log);
    try (TestProxy proxy = TestProxy.start(CONFIG.formatted(log))) {
      JsonObject sample = awaitRequests(proxy, 5, "the sample's five calls");
      JsonObject totals = sample.getJsonObject("totals");
      assertEquals(4906, totals.getLong("prompt_tokens"));
      assertEquals(631, totals.getLong("completion_tokens"));
      assertEquals(32768, totals.getLong("last_context_length"));
      JsonArray entries = sample.getJsonArray("entries");
      assertEquals(Instant.parse("2025-11-21T10:20:36Z").toEpochMilli(), entries.getJsonObject(0).getLong("ts"));
      assertNull(entries.getJsonObject(2).getValue("ts"), "an undated line already in the file has no known time");
      assertEquals(65536, entries.getJsonObject(3).getLong("context_length"));
      assertEquals(0, sample.getJsonObject("comparison").getJsonObject("log").getLong("requests"),
          "nothing in the sample happened since the proxy started");

      proxy.upstream().stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse()
          .withHeader("Content-Type", "application/json")
          .withBody(Fixtures.bytes("openai/chat-nonstream-gpt5-reasoning-tokens.json"))));
      assertEquals(200, proxy.send(proxy.request("/v1/chat/completions").header("User-Agent", "Continue/1.2.10")
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(TestProxy.chat(false))).build()).statusCode());
      Files.writeString(log, "[info] Prompt tokens: 11\n[info] Completion tokens: 228\n", StandardOpenOption.APPEND);

      JsonObject appended = awaitRequests(proxy, 6, "the appended call");
      JsonObject comparison = appended.getJsonObject("comparison");
      assertEquals(new JsonObject().put("requests", 1).put("prompt_tokens", 11).put("completion_tokens", 228),
          comparison.getJsonObject("log"));
      JsonObject fromProxy = comparison.getJsonObject("proxy");
      assertEquals("continue", fromProxy.getString("client"));
      assertEquals(1, fromProxy.getLong("requests"));
      assertEquals(11, fromProxy.getLong("prompt_tokens"));
      assertEquals(228, fromProxy.getLong("completion_tokens"));
      assertTrue(appended.getJsonArray("entries").getJsonObject(0).getLong("ts") >= comparison.getLong("from"));

      Files.move(log, folder.resolve("core.log.1"));
      Files.writeString(log, "[info] Starting Continue core...\nPrompt tokens: 5\nCompletion tokens: 1\n");
      JsonObject rotated = awaitRequests(proxy, 7, "the first call of the new file");
      assertEquals(1, rotated.getJsonObject("follower").getLong("rotations"));

      Files.writeString(log, "Prompt tokens: 3\nCompletion tokens: 2\n", StandardOpenOption.TRUNCATE_EXISTING);
      JsonObject truncated = awaitRequests(proxy, 8, "the first call after the cut");
      assertEquals(1, truncated.getJsonObject("follower").getLong("truncations"));
      assertEquals(4906 + 11 + 5 + 3, truncated.getJsonObject("totals").getLong("prompt_tokens"));
      assertEquals(3, truncated.getJsonObject("comparison").getJsonObject("log").getLong("requests"));
    }
  }

  @Test
  void should_say_the_file_is_missing_until_it_appears() throws Exception {
    Path log = Files.createTempDirectory("continue").resolve("core.log");
    try (TestProxy proxy = TestProxy.start(CONFIG.formatted(log))) {
      JsonObject before = Poll.until(Duration.ofSeconds(10), () -> usage(proxy),
          u -> u.getValue("exists") != null, "the first look at the path");
      assertEquals(false, before.getBoolean("exists"));
      assertEquals("missing", before.getString("file"));
      assertEquals(0, before.getJsonObject("totals").getLong("requests"));

      Files.writeString(log, "Prompt tokens: 9\nCompletion tokens: 4\n");

      JsonObject after = awaitRequests(proxy, 1, "the log once it exists");
      assertEquals(true, after.getBoolean("exists"));
      assertEquals(1, after.getJsonObject("comparison").getJsonObject("log").getLong("requests"),
          "a file that appears later is read as new");
    }
  }
}
