package io.kimiproxy.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UsageTimelineTest {
  private TestProxy proxy;

  @BeforeEach
  void start() {
    proxy = TestProxy.start();
    proxy.upstream().stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse()
        .withHeader("Content-Type", "application/json").withBody("""
            {"id":"c","object":"chat.completion","created":1,"model":"m",
             "choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":300,"completion_tokens":20,"total_tokens":320}}""")));
  }

  @AfterEach
  void stop() {
    proxy.close();
  }

  @Test
  void should_sum_usage_per_minute_and_group() {
    long before = System.currentTimeMillis();
    proxy.post("/v1/chat/completions", TestProxy.chat(false));
    proxy.post("/v1/chat/completions", TestProxy.chat(false));
    long after = System.currentTimeMillis();

    JsonObject timeline = new JsonObject(proxy.get("/api/usage/timeline?minutes=90&by=provider").body());
    assertEquals(60_000L, timeline.getLong("bucket_ms"));
    assertEquals("provider", timeline.getString("by"));
    assertEquals(after / 60_000 * 60_000 - 89 * 60_000L, timeline.getLong("from"), 60_000.0);
    JsonArray points = timeline.getJsonArray("data");
    long requests = 0, prompt = 0;
    for (Object item : points) {
      JsonObject point = (JsonObject) item;
      assertEquals("test", point.getString("key"));
      assertEquals(0, point.getLong("ts") % 60_000);
      assertTrue(point.getLong("ts") >= before / 60_000 * 60_000 && point.getLong("ts") <= after);
      requests += point.getLong("requests");
      prompt += point.getLong("prompt_tokens");
      assertEquals(20L * point.getLong("requests"), point.getLong("completion_tokens"));
    }
    assertEquals(2, requests);
    assertEquals(600, prompt);

    JsonArray byModel = new JsonObject(proxy.get("/api/usage/timeline").body()).getJsonArray("data");
    assertEquals("test/model", byModel.getJsonObject(0).getString("key"));
  }

  @Test
  void should_refuse_a_grouping_that_is_not_per_minute() {
    HttpResponse<String> response = proxy.get("/api/usage/timeline?by=day");
    assertEquals(400, response.statusCode());
    assertEquals("by", new JsonObject(response.body()).getJsonObject("error").getString("param"));
    assertEquals(400, proxy.get("/api/usage/timeline?minutes=0").statusCode());
  }
}
