package io.kimiproxy.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.Fixtures;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StreamingRelayTest {
  private static final String STREAM = "openai/chat-stream-text-include-usage.sse";
  private TestProxy proxy;

  @BeforeEach
  void start() {
    proxy = TestProxy.start();
  }

  @AfterEach
  void stop() {
    proxy.close();
  }

  @Test
  void should_deliver_first_event_before_upstream_finishes() throws Exception {
    // The recorded stream dribbled out over ~3 s: the first event must arrive long before the end.
    proxy.upstream().stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse()
        .withHeader("Content-Type", "text/event-stream")
        .withBody(Fixtures.bytes(STREAM))
        .withChunkedDribbleDelay(10, 3000)));
    long start = System.nanoTime();
    HttpResponse<InputStream> response = proxy.http().send(proxy.request("/v1/chat/completions")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(TestProxy.chat(true))).build(), HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, response.statusCode());
    assertEquals("text/event-stream; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
    assertEquals("no", response.headers().firstValue("X-Accel-Buffering").orElseThrow());
    List<String> events = new ArrayList<>();
    long firstEventMs = -1;
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("data: ")) {
          if (firstEventMs < 0) firstEventMs = (System.nanoTime() - start) / 1_000_000;
          events.add(line.substring(6));
        }
      }
    }
    long totalMs = (System.nanoTime() - start) / 1_000_000;
    assertTrue(firstEventMs < totalMs - 1000, "first event at " + firstEventMs + " ms, stream ended at " + totalMs + " ms");
    assertEquals("[DONE]", events.get(events.size() - 1));
    // The client did not ask for usage: no usage chunk and no usage field reaches it.
    assertFalse(events.stream().anyMatch(e -> e.contains("\"usage\"")), String.join("\n", events));
    proxy.upstream().verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
        .withHeader("Authorization", equalTo("Bearer " + TestProxy.KEY))
        .withRequestBody(matchingJsonPath("$.model", equalTo("upstream-model")))
        .withRequestBody(matchingJsonPath("$.stream_options.include_usage", equalTo("true"))));

    JsonObject sessions = new JsonObject(proxy.get("/api/sessions").body());
    JsonObject session = sessions.getJsonArray("data").getJsonObject(0);
    JsonObject usage = new JsonObject(Fixtures.text(STREAM).lines().filter(l -> l.contains("\"usage\":{"))
        .findFirst().orElseThrow().substring(6)).getJsonObject("usage");
    assertEquals(usage.getLong("prompt_tokens"), session.getLong("prompt_tokens"));
    assertEquals(usage.getLong("completion_tokens"), session.getLong("completion_tokens"));
    double expectedCost = (usage.getLong("prompt_tokens") * 2.0 + usage.getLong("completion_tokens") * 4.0) / 1e6;
    assertEquals(expectedCost, session.getDouble("cost_usd"), 1e-12);
    assertEquals(usage.getLong("prompt_tokens") / 1000.0, session.getDouble("context_fill"), 1e-9);
  }
}
