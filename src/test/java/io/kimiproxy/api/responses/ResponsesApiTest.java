package io.kimiproxy.api.responses;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.kimiproxy.testing.ResponsesClient.CODEX_AGENT;
import static io.kimiproxy.testing.ResponsesClient.ask;
import static io.kimiproxy.testing.ResponsesClient.function;
import static io.kimiproxy.testing.ResponsesClient.userMessage;
import static io.kimiproxy.testing.Stubs.chat;
import static io.kimiproxy.testing.Stubs.json;
import static io.kimiproxy.testing.Stubs.sse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.Fixtures;
import io.kimiproxy.testing.Ledger;
import io.kimiproxy.testing.OpenAiGolden;
import io.kimiproxy.testing.ResponsesClient;
import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.StrictResponsesStreamChecker;
import io.kimiproxy.testing.Stubs;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /v1/responses} in front of a Chat Completions provider: Responses requests become chat
 * requests (instructions, messages, reasoning, function calls and their outputs, tools and options),
 * chat answers become strict Responses streams or response objects, and what cannot be translated,
 * or would need responses the proxy does not keep, is refused with a 400 that names it.
 */
class ResponsesApiTest {
  @RegisterExtension
  static final SharedProxy SHARED = SharedProxy.with(TestProxy.ONE_PROVIDER.replace("max_context = 1000", "max_context = 100000")
      + """

      [providers.claude]
      type = "anthropic"
      base_url = "{{UPSTREAM}}/anthropic/v1"
      api_key = "${TEST_KEY}"

      [models."claude/model"]
      provider = "claude"
      model = "claude-sonnet-4-5"
      max_context = 200000
      """);

  @Test
  void should_stream_a_translated_answer_as_strict_responses_events_and_record_it_as_codex(TestProxy proxy) {
    proxy.upstream().stubFor(chat().willReturn(sse("openai/chat-stream-parallel-tool-calls-include-usage.sse")));
    String session = TestProxy.newSession();
    JsonObject body = ask("test/model", true, "What is the weather in Paris and Tokyo?")
        .put("tools", new JsonArray().add(function("get_weather"))).put("prompt_cache_key", session);

    HttpResponse<String> response = ResponsesClient.post(proxy, body, "User-Agent", CODEX_AGENT);

    assertEquals(200, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
    StrictResponsesStreamChecker.Result result = StrictResponsesStreamChecker.check(response.body());
    OpenAiGolden.Recorded recorded = OpenAiGolden.Recorded.ofStream(
        Fixtures.text("openai/chat-stream-parallel-tool-calls-include-usage.sse"));
    assertEquals("completed", result.status());
    assertEquals(recorded.toolCallNames(), result.calls().stream().map(c -> c.getString("name")).toList());
    assertEquals(recorded.usage().getLong("prompt_tokens"), result.usage().getLong("input_tokens"));
    assertEquals(recorded.usage().getLong("completion_tokens"), result.usage().getLong("output_tokens"));

    JsonObject sent = Stubs.received(proxy.upstream()).get(0);
    assertEquals("upstream-model", sent.getString("model"));
    assertTrue(sent.getJsonObject("stream_options").getBoolean("include_usage"));
    assertEquals("get_weather", sent.getJsonArray("tools").getJsonObject(0).getJsonObject("function").getString("name"));
    JsonObject row = Ledger.rows(proxy, session).get(0);
    assertEquals("responses", row.getString("api"));
    assertEquals("codex", row.getString("client"));
    assertEquals(recorded.usage().getLong("prompt_tokens"), row.getLong("prompt_tokens"));
    assertTrue(row.getDouble("cost_usd") > 0, row.encode());
  }

  @Test
  void should_answer_a_whole_request_with_a_response_object(TestProxy proxy) {
    proxy.upstream().stubFor(chat().willReturn(json(200, "openai/chat-nonstream-parallel-tool-calls.json")));
    JsonObject recorded = new JsonObject(Fixtures.text("openai/chat-nonstream-parallel-tool-calls.json"));

    HttpResponse<String> response = ResponsesClient.post(proxy, ask("test/model", false, "Weather?"));

    assertEquals(200, response.statusCode(), response.body());
    JsonObject answer = new JsonObject(response.body());
    assertEquals("response", answer.getString("object"));
    assertEquals("completed", answer.getString("status"));
    assertEquals("test/model", answer.getString("model"));
    JsonArray calls = recorded.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getJsonArray("tool_calls");
    List<JsonObject> output = answer.getJsonArray("output").stream().map(JsonObject.class::cast).toList();
    assertEquals(calls.size(), output.size());
    for (int i = 0; i < calls.size(); i++) {
      assertEquals("function_call", output.get(i).getString("type"));
      assertEquals(calls.getJsonObject(i).getString("id"), output.get(i).getString("call_id"));
      assertEquals(calls.getJsonObject(i).getJsonObject("function").getString("arguments"), output.get(i).getString("arguments"));
    }
    JsonObject usage = recorded.getJsonObject("usage");
    assertEquals(usage.getLong("prompt_tokens"), answer.getJsonObject("usage").getLong("input_tokens"));
    assertEquals(usage.getLong("total_tokens"), answer.getJsonObject("usage").getLong("total_tokens"));
  }

  @Test
  void should_translate_every_kind_of_item_and_option_into_the_chat_request(TestProxy proxy) {
    proxy.upstream().stubFor(chat().willReturn(json(200, "openai/chat-nonstream-parallel-tool-calls.json")));
    String blob = "gAAAAABopenai-encrypted-reasoning";
    JsonArray input = new JsonArray()
        .add(new JsonObject().put("type", "message").put("role", "developer").put("content", "Use the shell."))
        .add(new JsonObject().put("role", "user").put("content", new JsonArray()
            .add(new JsonObject().put("type", "input_text").put("text", "What is in this picture?"))
            .add(new JsonObject().put("type", "input_image").put("image_url", "data:image/png;base64,iVBORw0KGgo=")
                .put("detail", "low"))))
        .add(new JsonObject().put("type", "reasoning").put("id", "rs_1").put("encrypted_content", blob)
            .put("summary", new JsonArray().add(new JsonObject().put("type", "summary_text").put("text", "Look first."))))
        .add(new JsonObject().put("type", "message").put("role", "assistant").put("content", new JsonArray()
            .add(new JsonObject().put("type", "output_text").put("text", "Let me look."))))
        .add(new JsonObject().put("type", "function_call").put("call_id", "call_a").put("name", "exec")
            .put("arguments", "{\"cmd\":\"ls\"}"))
        .add(new JsonObject().put("type", "function_call").put("call_id", "call_b").put("name", "exec")
            .put("arguments", "{\"cmd\":\"pwd\"}"))
        .add(new JsonObject().put("type", "function_call_output").put("call_id", "call_a").put("output", "cat.png"))
        .add(new JsonObject().put("type", "function_call_output").put("call_id", "call_b").put("output", new JsonArray()
            .add(new JsonObject().put("type", "input_text").put("text", "/home/dev"))))
        .add(userMessage("Describe it."));
    JsonObject body = new JsonObject().put("model", "test/model").put("instructions", "Be terse.").put("input", input)
        .put("tools", new JsonArray().add(function("exec")))
        .put("tool_choice", new JsonObject().put("type", "function").put("name", "exec"))
        .put("parallel_tool_calls", false).put("max_output_tokens", 300).put("temperature", 0.2)
        .put("reasoning", new JsonObject().put("effort", "high").put("summary", "auto"))
        .put("text", new JsonObject().put("format", new JsonObject().put("type", "json_schema").put("name", "answer")
            .put("strict", true).put("schema", new JsonObject().put("type", "object"))))
        .put("store", false).put("include", new JsonArray().add("reasoning.encrypted_content"));

    HttpResponse<String> response = ResponsesClient.post(proxy, body);

    assertEquals(200, response.statusCode(), response.body());
    String raw = Stubs.received(proxy.upstream()).get(0).encode();
    assertFalse(raw.contains(blob), "encrypted reasoning went to a provider that did not issue it: " + raw);
    JsonObject sent = new JsonObject(raw);
    List<JsonObject> messages = sent.getJsonArray("messages").stream().map(JsonObject.class::cast).toList();
    assertEquals(List.of("system", "system", "user", "assistant", "tool", "tool", "user"),
        messages.stream().map(m -> m.getString("role")).toList());
    assertEquals("Be terse.", messages.get(0).getString("content"));
    assertEquals("Use the shell.", messages.get(1).getString("content"));
    JsonArray picture = messages.get(2).getJsonArray("content");
    assertEquals("text", picture.getJsonObject(0).getString("type"));
    assertEquals("low", picture.getJsonObject(1).getJsonObject("image_url").getString("detail"));
    JsonObject assistant = messages.get(3);
    assertEquals("Let me look.", assistant.getString("content"));
    assertEquals("Look first.", assistant.getString("reasoning_content"));
    assertEquals(List.of("call_a", "call_b"), assistant.getJsonArray("tool_calls").stream()
        .map(c -> ((JsonObject) c).getString("id")).toList());
    assertEquals("{\"cmd\":\"pwd\"}", assistant.getJsonArray("tool_calls").getJsonObject(1).getJsonObject("function")
        .getString("arguments"));
    assertEquals("call_a", messages.get(4).getString("tool_call_id"));
    assertEquals("cat.png", messages.get(4).getString("content"));
    assertEquals("call_b", messages.get(5).getString("tool_call_id"));
    assertEquals("exec", sent.getJsonArray("tools").getJsonObject(0).getJsonObject("function").getString("name"));
    assertEquals("exec", sent.getJsonObject("tool_choice").getJsonObject("function").getString("name"));
    assertEquals(false, sent.getBoolean("parallel_tool_calls"));
    assertEquals(300, sent.getInteger("max_completion_tokens"));
    assertEquals("high", sent.getString("reasoning_effort"));
    assertEquals(0.2, sent.getDouble("temperature"));
    JsonObject format = sent.getJsonObject("response_format");
    assertEquals("json_schema", format.getString("type"));
    assertEquals("answer", format.getJsonObject("json_schema").getString("name"));
    assertTrue(format.getJsonObject("json_schema").getBoolean("strict"));
    for (String field : List.of("input", "instructions", "store", "include", "reasoning", "text")) {
      assertFalse(sent.containsKey(field), field + " is not a Chat Completions field: " + raw);
    }
  }

  @Test
  void should_refuse_what_needs_responses_the_proxy_does_not_keep(TestProxy proxy) {
    for (String field : List.of("previous_response_id", "conversation")) {
      HttpResponse<String> response = ResponsesClient.post(proxy, ask("test/model", true, "Go on").put(field, "resp_123"));
      assertEquals(400, response.statusCode(), response.body());
      JsonObject error = new JsonObject(response.body()).getJsonObject("error");
      assertEquals(field, error.getString("param"));
      assertTrue(error.getString("message").contains("keeps no responses"), error.getString("message"));
    }
    assertEquals(400, ResponsesClient.post(proxy, ask("test/model", false, "Later").put("background", true)).statusCode());
    assertEquals(0, Stubs.calls(proxy.upstream(), Stubs.CHAT_PATH));
  }

  @Test
  void should_refuse_malformed_requests_naming_the_field_or_item(TestProxy proxy) {
    assertError(proxy, new JsonObject().put("model", "test/model"), "input", "'input' is required");
    assertError(proxy, new JsonObject().put("model", "test/model").put("input", new JsonArray()), "input", "'input' is required");
    assertError(proxy, ask("test/model", true, "Hi").copy().put("input", new JsonArray().add(userMessage("Hi"))
        .add(new JsonObject().put("type", "function_call").put("name", "exec").put("arguments", "{}"))),
        "input", "input[1].call_id");
    assertError(proxy, ask("test/model", true, "Hi").put("tools", new JsonArray().add(new JsonObject().put("type", "function"))),
        "tools", "tools[0]");
    assertError(proxy, ask("test/model", true, "Hi").put("tool_choice", "sometimes"), "tool_choice", "'tool_choice'");
    assertError(proxy, ask("test/model", true, "Hi").put("max_output_tokens", 0), "max_output_tokens", "max_output_tokens");
    assertError(proxy, ask("test/model", true, "Hi").put("text", new JsonObject().put("format", new JsonObject()
        .put("type", "yaml"))), "text", "text.format.type");
    assertEquals(0, Stubs.calls(proxy.upstream(), Stubs.CHAT_PATH));
  }

  @Test
  void should_refuse_hosted_tools_for_a_chat_provider_naming_them(TestProxy proxy) {
    JsonObject body = ask("test/model", true, "Search the web").put("tools", new JsonArray().add(function("exec"))
        .add(new JsonObject().put("type", "web_search").put("external_web_access", false))
        .add(new JsonObject().put("type", "namespace").put("name", "multi_agent_v1").put("tools", new JsonArray())));

    HttpResponse<String> response = ResponsesClient.post(proxy, body);

    assertEquals(400, response.statusCode(), response.body());
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    assertTrue(error.getString("message").contains("tools of type web_search, namespace"), error.getString("message"));
    assertTrue(error.getString("message").contains("Provider 'test' does not serve the Responses API"), error.getString("message"));
    assertEquals("invalid_request_error", error.getString("type"));
    assertEquals(0, Stubs.calls(proxy.upstream(), Stubs.CHAT_PATH));
  }

  @Test
  void should_end_a_stream_that_breaks_with_response_failed(TestProxy proxy) {
    proxy.upstream().stubFor(chat().willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
        .withBody(chunk(new JsonObject().put("role", "assistant").put("content", "Half an "), null)
            + chunk(new JsonObject().put("content", "answer"), null)
            + "data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\",\"code\":\"overloaded\"}}\n\n")));

    HttpResponse<String> response = ResponsesClient.post(proxy, ask("test/model", true, "Tell me"));

    assertEquals(200, response.statusCode(), response.body());
    StrictResponsesStreamChecker.Result result = StrictResponsesStreamChecker.check(response.body());
    assertEquals("failed", result.status());
    assertEquals("Half an answer", result.text());
    assertTrue(result.error().getString("message").contains("overloaded"), result.error().encode());
  }

  @Test
  void should_say_incomplete_when_the_answer_is_cut_at_its_token_limit(TestProxy proxy) {
    proxy.upstream().stubFor(chat().willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
        .withBody(chunk(new JsonObject().put("role", "assistant").put("content", "Once upon a"), null)
            + chunk(new JsonObject(), "length") + "data: [DONE]\n\n")));

    HttpResponse<String> response = ResponsesClient.post(proxy, ask("test/model", true, "A long story").put("max_output_tokens", 3));

    StrictResponsesStreamChecker.Result result = StrictResponsesStreamChecker.check(response.body());
    assertEquals("incomplete", result.status());
    JsonObject last = result.events().get(result.events().size() - 1);
    assertEquals("max_output_tokens", last.getJsonObject("response").getJsonObject("incomplete_details").getString("reason"));
    assertEquals(3, last.getJsonObject("response").getInteger("max_output_tokens"));
  }

  @Test
  void should_carry_signed_thinking_through_encrypted_content_and_back(TestProxy proxy) {
    JsonObject block = new JsonObject().put("type", "thinking").put("thinking", "Plan the call.").put("signature", "sig-123");
    proxy.upstream().stubFor(chat().willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
        .withBody(chunk(new JsonObject().put("role", "assistant").put("reasoning_content", "Plan the call."), null)
            + chunk(new JsonObject().put("thinking_blocks", new JsonArray().add(block)), null)
            + chunk(new JsonObject().put("content", "Done."), null)
            + chunk(new JsonObject(), "stop") + "data: [DONE]\n\n")));

    StrictResponsesStreamChecker.Result first = StrictResponsesStreamChecker.check(
        ResponsesClient.post(proxy, ask("test/model", true, "Think")).body());
    JsonObject reasoning = first.output().getJsonObject(0);
    assertEquals("reasoning", reasoning.getString("type"));
    assertEquals("Plan the call.", first.reasoning());
    assertTrue(reasoning.getString("encrypted_content").startsWith("kimi-proxy.thinking.v1:"), reasoning.encode());

    // The next turn goes to an Anthropic provider, the one that can check the signature.
    proxy.upstream().stubFor(post(urlEqualTo("/anthropic/v1/messages"))
        .willReturn(Stubs.sse("anthropic/stream-text-basic.sse")));
    JsonArray input = new JsonArray().add(userMessage("Think")).add(reasoning).add(first.output().getJsonObject(1))
        .add(userMessage("Again"));
    ResponsesClient.post(proxy, new JsonObject().put("model", "claude/model").put("stream", true).put("input", input));

    JsonObject sent = proxy.upstream().findAll(postRequestedFor(urlEqualTo("/anthropic/v1/messages"))).stream()
        .map(r -> new JsonObject(r.getBodyAsString())).reduce((a, b) -> b).orElseThrow();
    JsonObject assistant = sent.getJsonArray("messages").getJsonObject(1);
    assertEquals("assistant", assistant.getString("role"));
    assertEquals(block, assistant.getJsonArray("content").getJsonObject(0), "the signed thinking leads the turn");
    assertEquals("Done.", assistant.getJsonArray("content").getJsonObject(1).getString("text"));
  }

  private static void assertError(TestProxy proxy, JsonObject body, String param, String says) {
    HttpResponse<String> response = ResponsesClient.post(proxy, body);
    assertEquals(400, response.statusCode(), body.encode() + " -> " + response.body());
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    assertEquals(param, error.getString("param"), response.body());
    assertTrue(error.getString("message").contains(says), error.getString("message"));
    assertNull(error.getValue("stack"));
  }

  private static String chunk(JsonObject delta, String finish) {
    return "data: " + new JsonObject().put("id", "chatcmpl-1").put("object", "chat.completion.chunk").put("created", 1)
        .put("model", "upstream-model").put("choices", new JsonArray().add(new JsonObject().put("index", 0)
            .put("delta", delta).put("finish_reason", finish))).encode() + "\n\n";
  }
}
