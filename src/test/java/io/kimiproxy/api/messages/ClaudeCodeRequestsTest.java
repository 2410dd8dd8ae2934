package io.kimiproxy.api.messages;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.kimiproxy.core.json.JsonIndex;
import io.kimiproxy.core.json.Span;
import io.kimiproxy.testing.Fixtures;
import io.kimiproxy.testing.Ledger;
import io.kimiproxy.testing.MessagesClient;
import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.StrictAnthropicStreamChecker;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The requests Claude Code 2.1.328 really sent (tests-data/fixtures/clients), through the proxy:
 * translated for an OpenAI-format provider (roles, the tool call and its result paired by id, the
 * tools Claude Code can run, the token limit) and passed through to an Anthropic-format one (the
 * client's bytes, its betas); its metadata names the session, its user agent the client.
 */
class ClaudeCodeRequestsTest {
  @RegisterExtension
  static final SharedProxy PROXY = SharedProxy.with("""
      [providers.test]
      base_url = "{{UPSTREAM}}/v1"
      api_key = "${TEST_KEY}"

      [models."test/model"]
      provider = "test"
      model = "upstream-model"
      max_context = 200000
      input_price = 2.0
      output_price = 4.0

      [providers.anthropic]
      type = "anthropic"
      base_url = "{{UPSTREAM}}/anthropic/v1"
      api_key = "${TEST_KEY}"
      headers = { "anthropic-beta" = "configured-beta-1" }

      [models."claude"]
      provider = "anthropic"
      model = "claude-sonnet-4-5"
      max_context = 200000

      [providers.openrouter]
      base_url = "{{UPSTREAM}}/openrouter/v1"
      api_key = "${TEST_KEY}"

      [models."openrouter/claude"]
      provider = "openrouter"
      model = "anthropic/claude-sonnet-4.5"
      max_context = 200000

      [providers.gemini]
      type = "gemini"
      base_url = "{{UPSTREAM}}/gemini/v1beta"
      api_key = "${TEST_KEY}"

      [models."gemini/flash"]
      provider = "gemini"
      model = "gemini-2.5-flash"
      max_context = 1000000

      [inbound.anthropic]
      models = { "mock-*" = "test/model" }
      """);

  private static final String TURN1 = "clients/claude-code-2.1.328-messages-turn1.request.json";
  private static final String TURN2 = "clients/claude-code-2.1.328-messages-turn2.request.json";
  private static final String SESSION = "50a1c3a4-03b7-4def-9f96-89445566c90e";
  private static final String TOOL_ID = "toolu_e6117417e948b99298ed64d9";

  private static void openAiAnswers() {
    String chunk = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"upstream-model\","
        + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Done.\"},\"finish_reason\":\"stop\"}]}";
    String usage = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"upstream-model\","
        + "\"choices\":[],\"usage\":{\"prompt_tokens\":900,\"completion_tokens\":2,\"total_tokens\":902}}";
    PROXY.get().upstream().stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse()
        .withHeader("Content-Type", "text/event-stream")
        .withBody("data: " + chunk + "\n\ndata: " + usage + "\n\ndata: [DONE]\n\n")));
  }

  private static JsonObject sentToOpenAi() {
    List<LoggedRequest> sent = PROXY.get().upstream().findAll(postRequestedFor(urlEqualTo("/v1/chat/completions")));
    return new JsonObject(sent.get(sent.size() - 1).getBodyAsString());
  }

  @Test
  void should_translate_the_recorded_first_turn_for_an_openai_provider() {
    openAiAnswers();
    HttpResponse<String> response = MessagesClient.post(PROXY.get(), Fixtures.text(TURN1), null);
    assertEquals(200, response.statusCode(), response.body());
    StrictAnthropicStreamChecker.Result result = StrictAnthropicStreamChecker.check(response.body());
    assertEquals("Done.", result.text());
    assertEquals("mock-model", result.message().getString("model"));
    assertEquals(900, result.finalUsage().getLong("input_tokens"));

    JsonObject sent = sentToOpenAi();
    assertEquals("upstream-model", sent.getString("model"));
    assertEquals(32000, sent.getInteger("max_completion_tokens"));
    assertTrue(sent.getBoolean("stream"));
    assertFalse(sent.containsKey("reasoning_effort"), "adaptive thinking asks nothing of a provider without it");
    JsonArray messages = sent.getJsonArray("messages");
    assertEquals(List.of("system", "user", "system"), roles(messages));
    assertTrue(messages.getJsonObject(0).getValue("content").toString().contains("You are a Claude agent"));
    // Text blocks go as one string: many OpenAI-compatible servers take nothing else in some roles.
    assertTrue(messages.getJsonObject(1).getString("content")
        .endsWith("</system-reminder>\n\nCreate a file named hello.txt in the current directory containing a friendly greeting."));
    assertTrue(messages.getJsonObject(2).getString("content").startsWith("# Environment"));
    JsonArray tools = sent.getJsonArray("tools");
    assertEquals(List.of("Agent", "Bash", "Edit", "ListAgents", "Read", "ReportFindings", "ScheduleWakeup", "Skill",
        "ToolSearch", "Workflow", "Write"), tools.stream().map(t -> ((JsonObject) t).getJsonObject("function").getString("name")).toList());

    assertEquals(SESSION, response.headers().firstValue("X-Kimi-Proxy-Session").orElseThrow());
    JsonObject row = Ledger.rowOf(PROXY.get(), response);
    assertEquals("claude-code", row.getString("client"));
    assertEquals("messages", row.getString("api"));
    assertEquals("test/model", row.getString("model"));
    assertEquals(900, row.getLong("prompt_tokens"));
    assertTrue(row.getDouble("cost_usd") > 0);
  }

  @Test
  void should_pair_the_recorded_tool_use_with_its_result_for_an_openai_provider() {
    openAiAnswers();
    HttpResponse<String> response = MessagesClient.post(PROXY.get(), Fixtures.text(TURN2), null);
    assertEquals(200, response.statusCode(), response.body());

    JsonArray messages = sentToOpenAi().getJsonArray("messages");
    assertEquals(List.of("system", "user", "system", "assistant", "tool"), roles(messages));
    JsonObject call = messages.getJsonObject(3).getJsonArray("tool_calls").getJsonObject(0);
    assertEquals(TOOL_ID, call.getString("id"));
    assertEquals("Write", call.getJsonObject("function").getString("name"));
    assertEquals(new JsonObject().put("file_path", "/home/dev/project/hello.txt")
            .put("content", "Hello from the Claude Code acceptance driver!\n"),
        new JsonObject(call.getJsonObject("function").getString("arguments")));
    assertNull(messages.getJsonObject(3).getValue("content"));
    JsonObject result = messages.getJsonObject(4);
    assertEquals(Set.of("role", "content", "tool_call_id"), result.fieldNames(), "only Chat Completions' own fields");
    assertEquals(TOOL_ID, result.getString("tool_call_id"));
    assertFalse(sentToOpenAi().encode().contains("cache_control"), "no prompt-cache breakpoints where they mean nothing");
    assertTrue(result.getString("content").startsWith("File created successfully at: /home/dev/project/hello.txt"));
  }

  @Test
  void should_send_the_recorded_turn_to_an_anthropic_provider_as_the_client_wrote_it() {
    String body = Fixtures.text(TURN2).replace("\"model\": \"mock-model\"", "\"model\": \"claude\"");
    PROXY.get().upstream().stubFor(post(urlEqualTo("/anthropic/v1/messages")).willReturn(aResponse()
        .withHeader("Content-Type", "text/event-stream").withBody(Fixtures.bytes("anthropic/stream-text-basic.sse"))));
    HttpResponse<String> response = MessagesClient.post(PROXY.get(), body, null);
    assertEquals(200, response.statusCode(), response.body());

    LoggedRequest sent = PROXY.get().upstream().findAll(postRequestedFor(urlEqualTo("/anthropic/v1/messages"))).get(0);
    MessagesClient.assertSpliced(body, sent.getBodyAsString(), "claude-sonnet-4-5");
    assertEquals("configured-beta-1,claude-code-20250219,interleaved-thinking-2025-05-14", sent.getHeader("anthropic-beta"));
    assertEquals("2023-06-01", sent.getHeader("anthropic-version"));
    assertEquals(TestProxy.KEY, sent.getHeader("x-api-key"));
    assertNull(sent.getHeader("Authorization"));
  }

  @Test
  void should_encode_again_only_the_turn_a_step_changed() {
    String secret = "sk-ant-api03-" + "abcdefghij".repeat(4);
    String body = Fixtures.text(TURN2).replace("\"model\": \"mock-model\"", "\"model\": \"claude\"")
        .replace("(file state is current", "(key " + secret + ", file state is current");
    PROXY.get().upstream().stubFor(post(urlEqualTo("/anthropic/v1/messages")).willReturn(aResponse()
        .withHeader("Content-Type", "text/event-stream").withBody(Fixtures.bytes("anthropic/stream-text-basic.sse"))));
    assertEquals(200, MessagesClient.post(PROXY.get(), body, null).statusCode());

    String upstream = PROXY.get().upstream().findAll(postRequestedFor(urlEqualTo("/anthropic/v1/messages"))).get(0)
        .getBodyAsString();
    assertFalse(upstream.contains(secret));
    JsonIndex client = JsonIndex.ofObject(body.getBytes(StandardCharsets.UTF_8));
    JsonIndex sent = JsonIndex.ofObject(upstream.getBytes(StandardCharsets.UTF_8));
    for (String field : List.of("system", "tools", "metadata", "thinking", "context_management", "output_config")) {
      assertEquals(text(client, client.field(field)), text(sent, sent.field(field)), field);
    }
    for (int i = 0; i < 3; i++) {
      assertEquals(text(client, client.elements("messages").get(i)), text(sent, sent.elements("messages").get(i)));
    }
    JsonObject changed = new JsonObject(text(sent, sent.elements("messages").get(3)));
    JsonObject result = changed.getJsonArray("content").getJsonObject(0);
    assertEquals(TOOL_ID, result.getString("tool_use_id"));
    assertTrue(result.getString("content").contains("[REDACTED:anthropic_key]"), result.encode());
    assertEquals(new JsonObject().put("type", "ephemeral"), result.getJsonObject("cache_control"));
  }

  private static String text(JsonIndex index, Span span) {
    return new String(Arrays.copyOfRange(index.bytes(), span.start(), span.end()), StandardCharsets.UTF_8);
  }

  private static List<String> roles(JsonArray messages) {
    return messages.stream().map(m -> ((JsonObject) m).getString("role")).toList();
  }

  @Test
  void should_keep_prompt_cache_breakpoints_for_openrouter_which_takes_them() {
    PROXY.get().upstream().stubFor(post(urlEqualTo("/openrouter/v1/chat/completions")).willReturn(aResponse()
        .withHeader("Content-Type", "text/event-stream").withBody(Fixtures.bytes("openai/chat-stream-text-include-usage.sse"))));
    String body = Fixtures.text(TURN2).replace("\"model\": \"mock-model\"", "\"model\": \"openrouter/claude\"");
    assertEquals(200, MessagesClient.post(PROXY.get(), body, null).statusCode());
    JsonObject sent = new JsonObject(PROXY.get().upstream()
        .findAll(postRequestedFor(urlEqualTo("/openrouter/v1/chat/completions"))).get(0).getBodyAsString());
    JsonArray system = sent.getJsonArray("messages").getJsonObject(0).getJsonArray("content");
    assertEquals(new JsonObject().put("type", "ephemeral"), system.getJsonObject(1).getJsonObject("cache_control"));
  }

  @Test
  void should_translate_the_recorded_turn_for_gemini_and_its_answer_back() {
    String stream = "/gemini/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse";
    PROXY.get().upstream().stubFor(post(urlEqualTo(stream)).willReturn(aResponse()
        .withHeader("Content-Type", "text/event-stream").withBody(Fixtures.bytes("gemini/stream-sse-text.sse"))));
    String body = Fixtures.text(TURN2).replace("\"model\": \"mock-model\"", "\"model\": \"gemini/flash\"");
    HttpResponse<String> response = MessagesClient.post(PROXY.get(), body, null);
    assertEquals(200, response.statusCode(), response.body());
    StrictAnthropicStreamChecker.Result result = StrictAnthropicStreamChecker.check(response.body());
    assertTrue(result.text().endsWith("4242**."), result.text());
    assertEquals(13, result.finalUsage().getLong("input_tokens"));

    JsonObject sent = new JsonObject(PROXY.get().upstream().findAll(postRequestedFor(urlEqualTo(stream))).get(0).getBodyAsString());
    JsonArray contents = sent.getJsonArray("contents");
    JsonObject call = contents.getJsonObject(1).getJsonArray("parts").getJsonObject(0).getJsonObject("functionCall");
    assertEquals("Write", call.getString("name"));
    JsonObject answer = contents.getJsonObject(2).getJsonArray("parts").getJsonObject(0).getJsonObject("functionResponse");
    assertEquals("Write", answer.getString("name"));
  }
}
