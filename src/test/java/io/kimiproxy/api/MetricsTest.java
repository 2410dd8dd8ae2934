package io.kimiproxy.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.kimiproxy.testing.LiveFeed;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsTest {
  private TestProxy proxy;

  @BeforeEach
  void start() {
    proxy = TestProxy.start();
  }

  @AfterEach
  void stop() {
    proxy.close();
  }

  private static double value(String metrics, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
    if (!m.find()) throw new AssertionError("no series " + series + " in:\n" + metrics);
    return Double.parseDouble(m.group(1));
  }

  @Test
  void should_count_requests_tokens_cost_latency_and_upstream_errors() {
    proxy.upstream().stubFor(post(urlEqualTo("/v1/chat/completions")).inScenario("flaky")
        .whenScenarioStateIs(Scenario.STARTED)
        .willSetStateTo("broken")
        .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("""
            {"id":"c","object":"chat.completion","created":1,"model":"m",
             "choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":100,"completion_tokens":10,"total_tokens":110}}""")));
    proxy.upstream().stubFor(post(urlEqualTo("/v1/chat/completions")).inScenario("flaky")
        .whenScenarioStateIs("broken")
        .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/json")
            .withBody("{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}")));
    assertEquals(200, proxy.post("/v1/chat/completions", TestProxy.chat(false)).statusCode());
    assertEquals(503, proxy.post("/v1/chat/completions", TestProxy.chat(false)).statusCode());

    try (LiveFeed feed = LiveFeed.connect(proxy, "")) {
      feed.next("init");
      HttpResponse<String> response = proxy.get("/metrics");
      assertEquals(200, response.statusCode());
      assertEquals("text/plain; version=0.0.4; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
      String m = response.body();
      String labels = "model=\"test/model\",provider=\"test\"";
      assertEquals(1.0, value(m, "kimi_requests_total{" + labels + ",status=\"200\"}"));
      assertEquals(1.0, value(m, "kimi_requests_total{" + labels + ",status=\"503\"}"));
      // Every attempt is a provider failure: the first call and its max_retries = 2 retries.
      assertEquals(3.0, value(m, "kimi_upstream_errors_total{provider=\"test\",status=\"503\"}"));
      assertEquals(0.0, value(m, "kimi_breaker_state{provider=\"test\"}"), "3 failures: below breaker_failures");
      // In: the answered prompt plus the failed request's estimate, as the ledger has them.
      JsonObject session = new JsonObject(proxy.get("/api/sessions").body()).getJsonArray("data").getJsonObject(0);
      long ledgerPrompt = session.getLong("prompt_tokens");
      assertTrue(ledgerPrompt > 100);
      assertEquals(ledgerPrompt, value(m, "kimi_tokens_total{direction=\"in\"," + labels + "}"));
      assertEquals(10.0, value(m, "kimi_tokens_total{direction=\"out\"," + labels + "}"));
      assertEquals(session.getDouble("cost_usd"), value(m, "kimi_cost_usd_total{" + labels + "}"), 1e-12);
      assertEquals(2.0, value(m, "kimi_request_latency_seconds_count{" + labels + "}"));
      assertTrue(m.contains("kimi_request_latency_seconds_bucket{" + labels + ",le=\""), "latency histogram");
      assertEquals(1.0, value(m, "kimi_time_to_first_byte_seconds_count{" + labels + "}"));
      assertEquals(1.0, value(m, "kimi_ws_clients"));
      assertTrue(value(m, "kimi_ledger_queue_depth") >= 0);
      assertTrue(m.contains("jvm_memory_used_bytes{"), "JVM memory");
      assertTrue(m.contains("jvm_gc_"), "GC");
      assertTrue(m.contains("jvm_threads_live_threads"), "threads");
      assertTrue(m.contains("process_uptime_seconds"), "uptime");
      assertTrue(m.contains("system_cpu_count"), "processors");
    }
  }
}
