package io.kimiproxy.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kimiproxy.testing.Poll;
import io.kimiproxy.testing.Stubs;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the proxy was holding when it stopped are shown as interrupted by the next proxy on that database. */
class AgentRestartTest {
  private static final String CONFIG = TestProxy.ONE_PROVIDER + """

      [agents]
      max_concurrent = 1

      [agents.slow]
      model = "test/model"
      timeout_s = 30
      """;

  @Test
  void should_mark_runs_in_flight_and_queued_at_a_restart_interrupted() {
    TestProxy before = TestProxy.start(CONFIG);
    Path folder = before.folder();
    String inFlight;
    String queued;
    try {
      before.upstream().stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withFixedDelay(5000)
          .withHeader("Content-Type", "application/json").withBody("{}")));
      AgentApi api = new AgentApi(before, null);
      inFlight = api.start("slow", new JsonObject().put("input", "one"), "running");
      queued = api.start("slow", new JsonObject().put("input", "two"), "queued");
      Poll.until(Duration.ofSeconds(10), () -> Stubs.received(before.upstream()).size(), n -> n == 1,
          "the first run to reach the provider");
    } finally {
      before.close();
    }

    try (TestProxy after = TestProxy.startIn(folder, CONFIG, "")) {
      AgentApi api = new AgentApi(after, null);
      for (String runId : List.of(inFlight, queued)) {
        JsonObject run = api.run("slow", runId);
        assertEquals("interrupted", run.getString("status"), run.encode());
        assertEquals("agent_interrupted", run.getJsonObject("error").getString("code"));
        List<Object> log = run.getJsonArray("log").getList();
        assertEquals("interrupted: the proxy stopped before the run finished",
            ((JsonObject) run.getJsonArray("log").getValue(log.size() - 1)).getString("message"));
      }
      assertEquals("started: calling test/model through the proxy (timeout 30 s)",
          api.run("slow", inFlight).getJsonArray("log").getJsonObject(1).getString("message"));
    }
  }
}
