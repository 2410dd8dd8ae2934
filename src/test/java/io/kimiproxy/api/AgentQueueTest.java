package io.kimiproxy.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.OpenAiErrors;
import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.Stubs;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The concurrency cap: one run at a time here, one more may wait, a third is refused. */
class AgentQueueTest {
  @RegisterExtension
  static final SharedProxy PROXY = SharedProxy.with(TestProxy.ONE_PROVIDER + """

      [agents]
      max_concurrent = 1
      max_queued = 1

      [agents.echo]
      model = "test/model"
      timeout_s = 10
      """);

  @Test
  void should_queue_runs_beyond_the_cap_in_order_and_refuse_beyond_the_queue(TestProxy proxy) {
    proxy.upstream().stubFor(Stubs.chat().willReturn(aResponse().withFixedDelay(1000)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}")));
    AgentApi api = new AgentApi(proxy, null);
    String first = api.start("echo", new JsonObject().put("input", "one"), "running");
    String second = api.start("echo", new JsonObject().put("input", "two"), "queued");

    HttpResponse<String> third = api.post("/api/agents/echo/run", "{\"input\":\"three\"}");
    assertEquals("agent_queue_full", OpenAiErrors.assertError(third, 429, "rate_limit_error").getString("code"));
    assertEquals("queued", new JsonObject(api.get("/api/agents/echo/status?run_id=" + second).body()).getString("status"));

    JsonObject one = api.awaitStatus("echo", first, "succeeded", Duration.ofSeconds(10));
    JsonObject two = api.awaitStatus("echo", second, "succeeded", Duration.ofSeconds(10));
    assertTrue(two.getLong("started_at") >= one.getLong("finished_at"), "the second started after the first ended");
    assertTrue(two.getJsonArray("log").stream().anyMatch(l -> ((JsonObject) l).getString("message")
        .equals("waiting for a slot: 1 run(s) ahead")), two.encode());
    assertEquals(2, new JsonObject(api.get("/api/agents/echo/runs").body()).getJsonArray("data").size());
    proxy.upstream().verify(2, postRequestedFor(urlEqualTo("/v1/chat/completions")));
  }
}
