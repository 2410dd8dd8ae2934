package io.kimiproxy.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.http.Fault;
import io.kimiproxy.core.tokens.TokenCounter;
import io.kimiproxy.testing.Fixtures;
import io.kimiproxy.testing.Ledger;
import io.kimiproxy.testing.ScriptedUpstream;
import io.kimiproxy.testing.StrictStreamChecker;
import io.kimiproxy.testing.Stubs;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A provider stream that breaks after it began: the client gets a clean end, the ledger what arrived. */
class BrokenStreamTest {
  /** The first events of a real stream; the provider dies after sending them. */
  private static final String[] FIRST_EVENTS = Arrays.copyOf(
      Fixtures.text("openai/chat-stream-text-include-usage.sse").split("\n\n"), 3);

  private static ScriptedUpstream scripted;
  private static TestProxy proxy;

  @BeforeAll
  static void start() {
    scripted = ScriptedUpstream.start(request -> {
      ScriptedUpstream.beginStream(request);
      for (int i = 0; i < FIRST_EVENTS.length - 1; i++) request.response().write(FIRST_EVENTS[i] + "\n\n");
      request.response().write(Buffer.buffer(FIRST_EVENTS[FIRST_EVENTS.length - 1] + "\n\n"))
          .onComplete(written -> request.connection().close());
    });
    proxy = TestProxy.start("""
        [providers.test]
        base_url = "{{UPSTREAM}}/v1"
        api_key = "${TEST_KEY}"

        [providers.scripted]
        base_url = "%s"
        api_key = "${TEST_KEY}"

        [models."test/model"]
        provider = "test"
        model = "upstream-model"

        [models."scripted/model"]
        provider = "scripted"
        model = "gpt-4o"
        input_price = 2.0
        output_price = 4.0
        """.formatted(scripted.baseUrl()));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    scripted.close();
  }

  @Test
  void should_end_the_stream_with_an_error_event_then_done_when_the_connection_drops() {
    HttpResponse<String> response = proxy.post("/v1/chat/completions",
        TestProxy.chat(true).replace("test/model", "scripted/model"));
    assertEquals(200, response.statusCode());
    StrictStreamChecker.Result result = StrictStreamChecker.check(StrictStreamChecker.dataEvents(response.body()), false);
    String arrived = expectedContent();
    assertEquals(arrived, result.content(), "what the provider sent before it broke reaches the client");
    assertNotNull(result.error(), response.body());
    assertEquals("upstream_error", result.error().getString("type"));

    JsonObject row = Ledger.rowOf(proxy, response);
    assertEquals(502, row.getInteger("status"));
    assertEquals("upstream_error", row.getString("error_type"));
    assertTrue(row.getBoolean("tokens_estimated"), row.encode());
    assertEquals(new TokenCounter(10).countText("gpt-4o", arrived), row.getLong("completion_tokens"), row.encode());
    assertTrue(row.getLong("prompt_tokens") > 0, row.encode());
    double cost = (row.getLong("prompt_tokens") * 2.0 + row.getLong("completion_tokens") * 4.0) / 1e6;
    assertEquals(cost, row.getDouble("cost_usd"), 1e-12);
  }

  @Test
  void should_answer_502_when_the_stream_is_malformed_before_its_first_event() {
    // The client has seen nothing yet: the call is retried (max_retries, default 2), then the error is the answer.
    proxy.upstream().stubFor(Stubs.chat().willReturn(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK)));
    HttpResponse<String> response = proxy.post("/v1/chat/completions", TestProxy.chat(true));
    assertEquals(502, response.statusCode(), response.body());
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    JsonObject row = Ledger.rowOf(proxy, response);
    assertEquals(502, row.getInteger("status"));
    assertEquals(error.getString("code"), row.getString("error_code"));
    assertEquals(3, row.getInteger("attempt"));
  }

  private static String expectedContent() {
    StringBuilder text = new StringBuilder();
    for (String event : FIRST_EVENTS) {
      JsonObject delta = new JsonObject(event.substring("data: ".length()))
          .getJsonArray("choices").getJsonObject(0).getJsonObject("delta");
      text.append(delta.getString("content", ""));
    }
    return text.toString();
  }
}
