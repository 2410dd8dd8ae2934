package io.kimiproxy.api;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.core.util.InternalCalls;
import io.kimiproxy.testing.Fixtures;
import io.kimiproxy.testing.OpenAiErrors;
import io.kimiproxy.testing.Poll;
import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Agent runs end to end: the API, the background call through the proxy's own pipeline to a
 * WireMock provider, and what the run and the ledger keep. Client keys are required here, so
 * every run also proves that the internal token lets the proxy's own call in.
 */
class AgentRunsTest {
  private static final String CLIENT_KEY = "client-key-for-agent-tests";
  private static final String SYSTEM_PROMPT = "You write commit messages.";
  private static final Duration DEADLINE = Duration.ofSeconds(15);

  @RegisterExtension
  static final SharedProxy PROXY = SharedProxy.with(TestProxy.ONE_PROVIDER + """

      [agents.committer]
      description = "Writes commit messages"
      model = "test/model"
      system_prompt = "%s"
      params = { temperature = 0.2, max_tokens = 300 }
      timeout_s = 10

      [agents.slowpoke]
      model = "test/model"
      timeout_s = 1
      """.formatted(SYSTEM_PROMPT), "api_keys = [\"" + CLIENT_KEY + "\"]");

  private static AgentApi api() {
    return new AgentApi(PROXY.get(), CLIENT_KEY);
  }

  private static void upstreamAnswers(String content, long prompt, long completion) {
    upstreamAnswers(content, prompt, completion, "stop");
  }

  private static void upstreamAnswers(String content, long prompt, long completion, String finishReason) {
    JsonObject answer = new JsonObject().put("id", "chatcmpl-1").put("object", "chat.completion").put("model", "upstream-model")
        .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("finish_reason", finishReason)
            .put("message", new JsonObject().put("role", "assistant").put("content", content))))
        .put("usage", new JsonObject().put("prompt_tokens", prompt).put("completion_tokens", completion)
            .put("total_tokens", prompt + completion));
    PROXY.get().upstream().stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse()
        .withHeader("Content-Type", "application/json").withBody(answer.encode())));
  }

  @Test
  void should_run_in_the_background_through_the_pipeline_and_keep_the_answer() {
    upstreamAnswers("feat(parser): accept empty input", 42, 7);
    String diff = "diff --git a/Parser.java b/Parser.java\n+  if (input.isEmpty()) return List.of();";
    String runId = api().start("committer", new JsonObject().put("input", diff)
        .put("params", new JsonObject().put("temperature", 0.7)), "running");

    JsonObject run = api().awaitStatus("committer", runId, "succeeded", DEADLINE);

    assertEquals("feat(parser): accept empty input", run.getString("result"));
    assertEquals(new JsonObject().put("prompt", 42).put("completion", 7).put("total", 49), run.getJsonObject("tokens"));
    assertEquals("test/model", run.getString("model"));
    assertEquals(diff, run.getString("input_preview"));
    assertNull(run.getValue("error"));
    assertTrue(run.getLong("duration_ms") >= 0 && run.getLong("finished_at") >= run.getLong("started_at"), run.encode());
    assertEquals(List.of("queued", "started: calling test/model through the proxy (timeout 10 s)",
            "proxy answered HTTP 200 (ledger request " + run.getString("request_id") + ")",
            "succeeded: 42 prompt + 7 completion tokens"), messages(run));
    // The preset's system prompt and parameters, the run's override, the proxy's routing; no internal token upstream.
    PROXY.get().upstream().verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
        .withHeader(InternalCalls.TOKEN_HEADER, absent())
        .withRequestBody(equalToJson(new JsonObject().put("model", "upstream-model").put("temperature", 0.7)
            .put("max_tokens", 300).put("stream", false)
            .put("messages", new JsonArray()
                .add(new JsonObject().put("role", "system").put("content", SYSTEM_PROMPT))
                .add(new JsonObject().put("role", "user").put("content", diff))).encode())));
    // The ledger has the run's call, as an agent call, under the run's session.
    JsonObject session = new JsonObject(api().get("/api/sessions/" + run.getString("session")).body());
    assertEquals("agent:committer:" + runId, session.getString("id"));
    JsonObject row = session.getJsonArray("requests").getJsonObject(0);
    assertEquals("agent", row.getString("kind"));
    assertEquals(run.getString("request_id"), row.getString("id"));
    assertEquals(42, row.getLong("prompt_tokens"));
  }

  @Test
  void should_send_a_messages_input_after_the_system_prompt() {
    upstreamAnswers("done", 5, 1, "length");
    JsonArray conversation = new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "first"))
        .add(new JsonObject().put("role", "assistant").put("content", "ok"))
        .add(new JsonObject().put("role", "user").put("content", new JsonArray()
            .add(new JsonObject().put("type", "text").put("text", "second"))));
    String runId = api().start("committer", new JsonObject().put("input", conversation), "running");

    JsonObject run = api().awaitStatus("committer", runId, "succeeded", DEADLINE);

    assertEquals("second", run.getString("input_preview"));
    assertTrue(messages(run).contains("the answer was cut short at max_tokens"), run.encode());
    JsonArray expected = new JsonArray().add(new JsonObject().put("role", "system").put("content", SYSTEM_PROMPT));
    conversation.forEach(expected::add);
    PROXY.get().upstream().verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
        .withRequestBody(equalToJson(new JsonObject().put("messages", expected).encode(), false, true)));
  }

  @Test
  void should_keep_keys_out_of_what_a_run_stores() throws IOException {
    upstreamAnswers("You pasted the key " + TestProxy.KEY + ", rotate it.", 5, 5);
    String runId = api().start("committer", new JsonObject().put("input", "config: api_key=" + TestProxy.KEY), "running");

    JsonObject run = api().awaitStatus("committer", runId, "succeeded", DEADLINE);

    assertEquals("config: api_key=[redacted]", run.getString("input_preview"));
    assertEquals("You pasted the key [redacted], rotate it.", run.getString("result"));
    TestProxy.await(PROXY.get().server().ledger().flush());
    for (Path file : List.of(PROXY.get().databaseFile(), Path.of(PROXY.get().databaseFile() + "-wal"))) {
      if (Files.exists(file)) {
        String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertFalse(bytes.contains(TestProxy.KEY) || bytes.contains(CLIENT_KEY), file + " holds a key");
      }
    }
  }

  @Test
  void should_fail_the_run_with_the_providers_error_in_openai_terms() {
    PROXY.get().upstream().stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse()
        .withStatus(500).withHeader("Content-Type", "application/json")
        .withBody(Fixtures.bytes("openai/error-500-server-error.json"))));
    String runId = api().start("committer", new JsonObject().put("input", "a diff"), "running");

    JsonObject run = api().awaitStatus("committer", runId, "failed", DEADLINE);

    JsonObject providerError = new JsonObject(Fixtures.text("openai/error-500-server-error.json")).getJsonObject("error");
    JsonObject error = run.getJsonObject("error");
    assertEquals(providerError.getString("message"), error.getString("message"));
    assertEquals("server_error", error.getString("type"));
    assertEquals(500, error.getInteger("status"));
    assertNull(run.getValue("result"));
    assertTrue(messages(run).contains("proxy answered HTTP 500 (ledger request " + run.getString("request_id") + ")"), run.encode());
    JsonObject status = new JsonObject(api().get("/api/agents/committer/status?run_id=" + runId).body());
    assertEquals(error, status.getJsonObject("error"));
  }

  @Test
  void should_time_out_a_run_that_outlives_its_preset_timeout() {
    long providerDelayMs = 4000;
    PROXY.get().upstream().stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse()
        .withFixedDelay((int) providerDelayMs).withHeader("Content-Type", "application/json").withBody("{}")));
    String runId = api().start("slowpoke", new JsonObject().put("input", "take your time"), "running");

    JsonObject run = api().awaitStatus("slowpoke", runId, "timed_out", Duration.ofMillis(providerDelayMs));

    assertEquals("agent_timeout", run.getJsonObject("error").getString("code"));
    assertEquals("timeout_error", run.getJsonObject("error").getString("type"));
    long duration = run.getLong("duration_ms");
    assertTrue(duration >= 1000 && duration < providerDelayMs, "duration " + duration);
    assertEquals("timed out after 1 s: the call was cancelled", messages(run).get(messages(run).size() - 1));
    // The provider answers after all (the proxy then records the call): the ending stays the timeout.
    Poll.until(Duration.ofSeconds(10), () -> api().get("/api/sessions/" + run.getString("session")).statusCode(),
        code -> code == 200, "the run's call to be recorded");
    assertEquals(run, api().run("slowpoke", runId));
  }

  @Test
  void should_describe_the_presets_without_secrets() {
    JsonObject list = new JsonObject(api().get("/api/agents").body());
    assertEquals(new JsonObject().put("id", "committer").put("description", "Writes commit messages")
        .put("model", "test/model").put("timeout_s", 10), list.getJsonArray("data").getJsonObject(0));
    assertEquals(2, list.getJsonArray("data").size());
    assertEquals(2, list.getInteger("max_concurrent"));
    JsonObject config = new JsonObject(api().get("/api/agents/committer/config").body());
    assertEquals(SYSTEM_PROMPT, config.getString("system_prompt"));
    assertEquals(new JsonObject().put("temperature", 0.2).put("max_tokens", 300), config.getJsonObject("params"));
    assertTrue(!config.encode().contains(TestProxy.KEY) && !config.encode().contains(CLIENT_KEY), config.encode());
  }

  @Test
  void should_list_an_agents_runs_newest_first() {
    upstreamAnswers("x", 1, 1);
    String first = api().start("committer", new JsonObject().put("input", "one"), "running");
    api().awaitStatus("committer", first, "succeeded", DEADLINE);
    String second = api().start("committer", new JsonObject().put("input", "two"), "running");
    api().awaitStatus("committer", second, "succeeded", DEADLINE);

    JsonArray runs = new JsonObject(api().get("/api/agents/committer/runs?limit=2").body()).getJsonArray("data");

    assertEquals(List.of(second, first), runs.stream().map(r -> ((JsonObject) r).getString("id")).toList());
    assertEquals("two", runs.getJsonObject(0).getString("input_preview"));
    assertEquals(1, new JsonObject(api().get("/api/agents/committer/runs?limit=1").body()).getJsonArray("data").size());
  }

  @Test
  void should_answer_404_for_an_unknown_agent_or_run() {
    for (HttpResponse<String> response : List.of(
        api().get("/api/agents/nobody/config"),
        api().post("/api/agents/nobody/run", "{\"input\":\"x\"}"),
        api().post("/api/agents/nobody/run", "not even json"),
        api().get("/api/agents/nobody/runs"),
        api().get("/api/agents/nobody/status?run_id=r"),
        api().get("/api/agents/nobody/runs/r"))) {
      assertError(response, 404, "agent_not_found");
    }
    assertError(api().get("/api/agents/committer/runs/no-such-run"), 404, "run_not_found");
    assertError(api().get("/api/agents/committer/status?run_id=no-such-run"), 404, "run_not_found");
    assertEquals(400, api().get("/api/agents/committer/status").statusCode());
  }

  @Test
  void should_refuse_an_invalid_body_with_422_and_start_nothing() {
    List<String> bodies = List.of("", "not json", "null", "[1]", "{}", "{\"input\":\"\"}", "{\"input\":\"  \"}",
        "{\"input\":[]}", "{\"input\":[1]}", "{\"input\":[{\"content\":\"no role\"}]}", "{\"input\":5}",
        "{\"input\":\"x\",\"params\":[1]}", "{\"input\":\"x\",\"params\":{\"model\":\"other\"}}",
        "{\"input\":\"x\",\"params\":{\"stream\":true}}", "{\"input\":\"x\",\"params\":{\"messages\":[]}}",
        "{\"input\":\"x\",\"extra\":1}");
    for (String body : bodies) {
      HttpResponse<String> response = api().post("/api/agents/committer/run", body);
      assertError(response, 422, "invalid_agent_input");
    }
    PROXY.get().upstream().verify(0, postRequestedFor(urlEqualTo("/v1/chat/completions")));
  }

  private static void assertError(HttpResponse<String> response, int status, String code) {
    assertEquals(code, OpenAiErrors.assertError(response, status, "invalid_request_error").getString("code"), response.body());
  }

  private static List<String> messages(JsonObject run) {
    return run.getJsonArray("log").stream().map(line -> ((JsonObject) line).getString("message")).toList();
  }
}
