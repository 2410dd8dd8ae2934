package io.kimiproxy.api;

import io.kimiproxy.testing.Requests;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.core.tokens.TokenCounter;
import io.kimiproxy.testing.Fixtures;
import io.kimiproxy.testing.Ledger;
import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.Stubs;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A complete answer: relayed as the provider sent it, its usage in the ledger and the session. */
class NonStreamingRelayTest {
  @RegisterExtension
  static final SharedProxy PROXY = SharedProxy.standard();

  @Test
  void should_relay_the_upstream_json_and_record_its_usage(TestProxy proxy) throws Exception {
    proxy.upstream().stubFor(Stubs.chat().willReturn(Stubs.json(200, "groq/chat-nonstream-usage-timings.json")));
    HttpResponse<byte[]> response = proxy.http().send(
        proxy.request("/v1/chat/completions").header("X-Session-Id", "relay-usage")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(TestProxy.chat(false))).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
    assertArrayEquals(Fixtures.bytes("groq/chat-nonstream-usage-timings.json"), response.body());

    JsonObject row = Ledger.rowOf(proxy, response);
    assertEquals(18, row.getLong("prompt_tokens"));
    assertEquals(43, row.getLong("completion_tokens"));
    assertFalse(row.getBoolean("tokens_estimated"));
    assertFalse(row.getBoolean("stream"));
    assertEquals("test", row.getString("provider"));
    assertEquals("upstream-model", row.getString("upstream_model"));
    double cost = (18 * 2.0 + 43 * 4.0) / 1e6; // the model's prices: 2.0 in, 4.0 out per million
    assertEquals(cost, row.getDouble("cost_usd"), 1e-12);

    JsonObject listed = new JsonObject(proxy.get("/api/sessions").body()).getJsonArray("data").stream()
        .map(JsonObject.class::cast).filter(s -> s.getString("id").equals("relay-usage")).findFirst().orElseThrow();
    assertEquals(18, listed.getLong("prompt_tokens"));
    assertEquals(43, listed.getLong("completion_tokens"));
    assertEquals(cost, listed.getDouble("cost_usd"), 1e-12);
    assertEquals(1, listed.getLong("request_count"));
    assertEquals(18 / 1000.0, listed.getDouble("context_fill"), 1e-9);
  }

  @Test
  void should_mark_tokens_estimated_when_the_upstream_sends_no_usage(TestProxy proxy) {
    JsonObject answer = new JsonObject(Fixtures.text("mistral/chat-nonstream-text.json"));
    answer.remove("usage");
    proxy.upstream().stubFor(Stubs.chat().willReturn(Stubs.json(200, "mistral/chat-nonstream-text.json").withBody(answer.encode())));
    String body = TestProxy.chat(false);
    HttpResponse<String> response = proxy.post("/v1/chat/completions", body);
    assertEquals(200, response.statusCode());

    JsonObject row = Ledger.rowOf(proxy, response);
    assertTrue(row.getBoolean("tokens_estimated"));
    TokenCounter counter = new TokenCounter(1L << 24);
    JsonArray messages = new JsonObject(body).getJsonArray("messages");
    assertEquals(counter.countPrompt("test/model", Requests.messages(messages), Requests.tools(new JsonArray())).total(), row.getLong("prompt_tokens"));
    String content = answer.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content");
    assertEquals(counter.countText("upstream-model", content), row.getLong("completion_tokens"));
    assertTrue(row.getLong("completion_tokens") > 0);
  }

  @Test
  void should_relay_parallel_tool_calls_untouched(TestProxy proxy) {
    proxy.upstream().stubFor(Stubs.chat().willReturn(Stubs.json(200, "openai/chat-nonstream-parallel-tool-calls.json")));
    HttpResponse<String> response = proxy.post("/v1/chat/completions", TestProxy.chat(false));
    assertEquals(Fixtures.text("openai/chat-nonstream-parallel-tool-calls.json"), response.body());
    JsonArray calls = new JsonObject(response.body()).getJsonArray("choices").getJsonObject(0)
        .getJsonObject("message").getJsonArray("tool_calls");
    assertEquals(2, calls.size());
    assertEquals(70, Ledger.rowOf(proxy, response).getLong("prompt_tokens"));
  }

  @Test
  void should_forward_unknown_fields_untouched_changing_only_the_model(TestProxy proxy) {
    proxy.upstream().stubFor(Stubs.chat().willReturn(Stubs.json(200, "openai/chat-nonstream-parallel-tool-calls.json")));
    JsonObject sent = new JsonObject(Fixtures.text("openai/chat-stream-parallel-tool-calls-include-usage.request.json"))
        .put("model", "test/model")
        .put("stream", false)
        .put("tool_choice", new JsonObject().put("type", "function").put("function", new JsonObject().put("name", "secret_retrieval_tool")))
        .put("response_format", new JsonObject().put("type", "json_schema").put("json_schema",
            new JsonObject().put("name", "answer").put("schema", new JsonObject().put("type", "object"))))
        .put("reasoning_effort", "low")
        .put("parallel_tool_calls", true)
        .put("temperature", 0.25)
        .put("x_vendor_extension", new JsonObject().put("nested", new JsonArray().add(1).add("two").addNull()));
    sent.remove("stream_options");
    assertEquals(200, proxy.post("/v1/chat/completions", sent.encode()).statusCode());

    JsonObject received = Stubs.received(proxy.upstream()).get(0);
    assertEquals("upstream-model", received.getString("model"));
    assertEquals(sent.copy().put("model", "upstream-model"), received, "only the model id may change");
    assertEquals("Bearer " + TestProxy.KEY,
        proxy.upstream().getAllServeEvents().get(0).getRequest().getHeader("Authorization"));
  }
}
