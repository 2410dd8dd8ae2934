package io.kimiproxy.api.context;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.Sessions;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Compaction and overflow through the proxy, asserting what the upstream received. */
class CompactionApiTest {
  private static final String SUMMARY = "SUMMARY: the assistant read StreamRelay, SqliteLedgerStore and ConfigLoader, found the double usage chunk and fixed StreamRelay.";
  private TestProxy proxy;

  @AfterEach
  void stop() {
    if (proxy != null) proxy.close();
  }

  private void start(long window, String sections) {
    proxy = ContextProxy.start(window, sections);
  }

  private void stubSummarizer() {
    JsonObject answer = new JsonObject().put("id", "chatcmpl-summary").put("object", "chat.completion").put("model", "summarizer-model")
        .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("finish_reason", "stop")
            .put("message", new JsonObject().put("role", "assistant").put("content", SUMMARY))))
        .put("usage", new JsonObject().put("prompt_tokens", 2100).put("completion_tokens", 40).put("total_tokens", 2140));
    proxy.upstream().stubFor(post(urlEqualTo(ContextProxy.CHAT)).atPriority(1)
        .withRequestBody(containing("\"summarizer-model\""))
        .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(answer.encode())));
  }

  private static JsonObject nextTurn(JsonObject body) {
    JsonObject next = body.copy();
    next.getJsonArray("messages")
        .add(new JsonObject().put("role", "assistant").put("content", "The Mistral stream sends usage once; no change needed."))
        .add(new JsonObject().put("role", "user").put("content", "Good. Commit it."));
    return next;
  }

  @Test
  void should_compact_in_convergence_with_the_summarizer_and_keep_the_prefix_stable() {
    // The sanitized session is about 4,200 tokens: 64 % of this window, CONVERGENCE on the first turn.
    start(6_500, """

        [models."test/summarizer"]
        provider = "test"
        model = "summarizer-model"
        max_context = 128000

        [compaction]
        summarizer_model = "test/summarizer"
        keep_last_exchanges = 2
        cooldown_s = 3600
        """);
    stubSummarizer();
    JsonObject turn1 = Sessions.body(Sessions.CLINE, 25, false);
    HttpResponse<String> first = ContextProxy.send(proxy, "compact-1", turn1);
    assertEquals(200, first.statusCode(), first.body());
    long saved = Long.parseLong(first.headers().firstValue("X-Kimi-Proxy-Compacted").orElseThrow());
    assertTrue(saved > 0);

    List<JsonObject> bodies = ContextProxy.upstreamBodies(proxy);
    assertEquals(2, bodies.size(), "one summary call, then the chat request");
    assertEquals("summarizer-model", bodies.get(0).getString("model"));
    JsonArray sent1 = bodies.get(1).getJsonArray("messages");
    JsonArray client = turn1.getJsonArray("messages");
    assertEquals(client.getJsonObject(0), sent1.getJsonObject(0), "the system prompt stays");
    assertEquals(client.getJsonObject(1), sent1.getJsonObject(1), "the first user message stays");
    String summary = sent1.getJsonObject(2).getString("content");
    assertTrue(summary.startsWith("[kimi-proxy compacted ") && summary.endsWith(SUMMARY), summary);
    // The last two exchanges (from the second-to-last assistant message on) are as the client sent them.
    int tail = sent1.size() - 3;
    assertEquals(client.getList().subList(client.size() - tail, client.size()), sent1.getList().subList(3, sent1.size()));
    assertEquals("assistant", sent1.getJsonObject(3).getString("role"), "the kept part starts with a call, not a result");

    HttpResponse<String> second = ContextProxy.send(proxy, "compact-1", nextTurn(turn1));
    assertEquals(200, second.statusCode());
    assertTrue(second.headers().firstValue("X-Kimi-Proxy-Compacted").isPresent());
    bodies = ContextProxy.upstreamBodies(proxy);
    assertEquals(3, bodies.size(), "no second summary call: the stored summary is reused");
    JsonArray sent2 = bodies.get(2).getJsonArray("messages");
    assertEquals(sent1.getList(), sent2.getList().subList(0, sent1.size()), "turn 2 starts with turn 1's compacted prefix");

    JsonObject history = new JsonObject(proxy.get("/api/compaction/compact-1/history").body());
    JsonObject record = history.getJsonArray("data").getJsonObject(0);
    assertEquals("auto", record.getString("trigger"));
    assertEquals("model", record.getString("summary_source"));
    assertEquals("test/summarizer", record.getString("summary_model"));
    JsonArray requests = new JsonObject(proxy.get("/api/sessions/compact-1").body()).getJsonArray("requests");
    assertTrue(requests.stream().map(JsonObject.class::cast)
        .anyMatch(r -> r.getString("kind").equals("summary") && r.getString("model").equals("test/summarizer")
            && r.getLong("prompt_tokens") == 2100), requests.encode());
    JsonObject session = new JsonObject(proxy.get("/api/sessions/compact-1").body());
    assertEquals("test/model", session.getString("model"), "the summary call does not take over the session");
    JsonObject listed = new JsonObject(proxy.get("/api/sessions").body()).getJsonArray("data").getJsonObject(0);
    assertEquals(2, listed.getLong("request_count"), "two chat turns; the summary call is not a turn");
  }

  @Test
  void should_compact_on_demand_on_the_next_request_with_the_extractive_summary() {
    start(262_144, "");
    JsonObject turn1 = Sessions.body(Sessions.CONTINUE, 33, false);
    assertEquals(200, ContextProxy.send(proxy, "manual-1", turn1).statusCode());
    JsonObject preview = new JsonObject(proxy.post("/api/compaction/manual-1/preview", "").body());
    assertTrue(preview.getBoolean("compactable"), preview.encode());
    assertTrue(preview.getLong("tokens_after") < preview.getLong("tokens_before"), preview.encode());
    assertEquals(1, ContextProxy.upstreamBodies(proxy).size(), "a preview sends nothing");
    HttpResponse<String> asked = proxy.post("/api/compaction/manual-1", "");
    assertEquals(202, asked.statusCode(), asked.body());
    assertEquals(404, proxy.post("/api/compaction/nobody", "").statusCode());

    assertEquals(200, ContextProxy.send(proxy, "manual-1", turn1).statusCode());
    JsonArray sent = ContextProxy.lastUpstreamBody(proxy).getJsonArray("messages");
    assertTrue(sent.size() < turn1.getJsonArray("messages").size());
    assertTrue(sent.getJsonObject(2).getString("content").contains("extractive summary"), sent.getJsonObject(2).encode());
    checkToolPairs(sent);
    JsonObject record = new JsonObject(proxy.get("/api/compaction/manual-1/history").body()).getJsonArray("data").getJsonObject(0);
    assertEquals("manual", record.getString("trigger"));
    assertEquals("extractive", record.getString("summary_source"));
  }

  static void checkToolPairs(JsonArray messages) {
    for (int i = 0; i < messages.size(); i++) {
      JsonObject m = messages.getJsonObject(i);
      if (m.getValue("tool_calls") instanceof JsonArray calls) {
        assertEquals(calls.getJsonObject(0).getString("id"), messages.getJsonObject(i + 1).getString("tool_call_id"), "call " + i);
      }
      if ("tool".equals(m.getString("role"))) {
        JsonArray calls = messages.getJsonObject(i - 1).getJsonArray("tool_calls");
        assertEquals(calls.getJsonObject(0).getString("id"), m.getString("tool_call_id"), "result " + i);
      }
    }
  }

  @Test
  void should_route_an_overflowing_prompt_to_the_larger_fallback() {
    start(262_144, """

        [models."test/small"]
        provider = "test"
        model = "small-model"
        max_context = 3000
        fallbacks = ["test/model"]
        """);
    JsonObject body = Sessions.body(Sessions.CLINE, 25, false).put("model", "test/small");
    assertEquals(200, ContextProxy.send(proxy, "overflow-1", body).statusCode());
    assertEquals("upstream-model", ContextProxy.lastUpstreamBody(proxy).getString("model"));
    JsonObject row = new JsonObject(proxy.get("/api/sessions/overflow-1").body()).getJsonArray("requests").getJsonObject(0);
    assertEquals("test/model", row.getString("model"));
  }

  @Test
  void should_compact_an_overflowing_prompt_without_a_fallback() {
    // 4,200 tokens plus 1,300 reserved do not fit 5,200; compacted to about 3,600 they do.
    start(5_200, "[compaction]\nauto = false\n");
    JsonObject body = Sessions.body(Sessions.CLINE, 25, false);
    HttpResponse<String> response = ContextProxy.send(proxy, "overflow-2", body);
    assertEquals(200, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("X-Kimi-Proxy-Compacted").isPresent());
    JsonArray sent = ContextProxy.lastUpstreamBody(proxy).getJsonArray("messages");
    assertTrue(sent.getJsonObject(2).getString("content").startsWith("[kimi-proxy compacted "));
    JsonObject record = new JsonObject(proxy.get("/api/compaction/overflow-2/history").body()).getJsonArray("data").getJsonObject(0);
    assertEquals("overflow", record.getString("trigger"));
  }

  @Test
  void should_refuse_what_cannot_fit_as_openai_does() {
    start(3_000, "[compaction]\nenabled = false\n");
    HttpResponse<String> off = ContextProxy.send(proxy, "overflow-3", Sessions.body(Sessions.CLINE, 25, false));
    assertEquals(400, off.statusCode());
    JsonObject error = new JsonObject(off.body()).getJsonObject("error");
    assertEquals("context_length_exceeded", error.getString("code"));
    assertEquals("invalid_request_error", error.getString("type"));
    assertEquals("messages", error.getString("param"));
    assertTrue(error.getString("message").startsWith("This model's maximum context length is 3000 tokens."));
    assertTrue(ContextProxy.upstreamBodies(proxy).isEmpty());
  }

  @Test
  void should_refuse_when_compaction_cannot_bring_it_under() {
    start(1_500, "[compaction]\nauto = false\n");
    HttpResponse<String> response = ContextProxy.send(proxy, "overflow-4", Sessions.body(Sessions.CLINE, 25, false));
    assertEquals(400, response.statusCode());
    assertEquals("context_length_exceeded", new JsonObject(response.body()).getJsonObject("error").getString("code"));
    assertFalse(ContextProxy.upstreamBodies(proxy).stream().anyMatch(b -> b.getString("model").equals("upstream-model")));
  }
}
