package io.kimiproxy.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.kimiproxy.testing.AnthropicGolden;
import io.kimiproxy.testing.Fixtures;
import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.StrictStreamChecker;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What Anthropic receives when an OpenAI client talks to an "anthropic" provider through the PROXY.get(). */
class AnthropicUpstreamRequestTest {
  private static final String CLIENT_KEY = "sk-client-key-abcdef0123456789";

  @RegisterExtension
  static final SharedProxy PROXY = SharedProxy.with(AnthropicGolden.CONFIG,
      "api_keys = [\"" + CLIENT_KEY + "\"]");

  private static HttpResponse<String> send(JsonObject body, String fixture, boolean stream) {
    PROXY.get().upstream().stubFor(post(urlEqualTo("/v1/messages")).willReturn(aResponse()
        .withHeader("Content-Type", stream ? "text/event-stream" : "application/json")
        .withBody(Fixtures.bytes("anthropic/" + fixture))));
    HttpResponse<String> response = PROXY.get().send(PROXY.get().request("/v1/chat/completions")
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + CLIENT_KEY)
        .header("User-Agent", "Cline/3.17").POST(HttpRequest.BodyPublishers.ofString(body.encode())).build());
    assertEquals(200, response.statusCode(), response.body());
    return response;
  }

  private static LoggedRequest lastUpstreamRequest() {
    List<LoggedRequest> requests = PROXY.get().upstream().findAll(postRequestedFor(urlEqualTo("/v1/messages")));
    return requests.get(requests.size() - 1);
  }

  private static JsonObject call(String id, String name, JsonObject arguments) {
    return new JsonObject().put("id", id).put("type", "function")
        .put("function", new JsonObject().put("name", name).put("arguments", arguments.encode()));
  }

  private static JsonObject tool(String name, String parameter) {
    return new JsonObject().put("type", "function").put("function", new JsonObject().put("name", name)
        .put("description", "Cline's " + name).put("parameters", new JsonObject().put("type", "object")
            .put("properties", new JsonObject().put(parameter, new JsonObject().put("type", "string")))
            .put("required", new JsonArray().add(parameter))));
  }

  private static JsonObject cached(String text) {
    return new JsonObject().put("type", "text").put("text", text).put("cache_control", new JsonObject().put("type", "ephemeral"));
  }

  /** A Cline-style agent loop: cached system prompt, a tool call, two parallel ones, their results, more context. */
  private static JsonObject clineConversation() {
    JsonArray messages = new JsonArray()
        .add(new JsonObject().put("role", "system").put("content", new JsonArray().add(cached("You are Cline, a software engineer."))))
        .add(new JsonObject().put("role", "user").put("content", new JsonArray()
            .add(new JsonObject().put("type", "text").put("text", "<task>\nAdd a unit test for A\n</task>"))
            .add(cached("<environment_details>\n# Current Working Directory\n/src\n</environment_details>"))))
        .add(new JsonObject().put("role", "assistant").put("content", "I'll read A first.")
            .put("tool_calls", new JsonArray().add(call("call_read_1", "read_file", new JsonObject().put("path", "A.java")))))
        .add(new JsonObject().put("role", "tool").put("tool_call_id", "call_read_1").put("content", "public class A {}"))
        .add(new JsonObject().put("role", "assistant").putNull("content").put("tool_calls", new JsonArray()
            .add(call("call_list_2", "list_files", new JsonObject().put("path", "test")))
            .add(call("call_search_3", "search_files", new JsonObject().put("regex", "class ATest")))))
        .add(new JsonObject().put("role", "tool").put("tool_call_id", "call_list_2").put("content", "ATestBase.java"))
        .add(new JsonObject().put("role", "tool").put("tool_call_id", "call_search_3").put("content", "Found 0 results."))
        .add(new JsonObject().put("role", "user").put("content", "<environment_details>\n# Open Tabs\nA.java\n</environment_details>"));
    return new JsonObject().put("model", AnthropicGolden.ALIAS).put("stream", true).put("temperature", 0)
        .put("stream_options", new JsonObject().put("include_usage", true))
        .put("tools", new JsonArray().add(tool("read_file", "path")).add(tool("list_files", "path")).add(tool("search_files", "regex")))
        .put("tool_choice", "auto").put("messages", messages);
  }

  @Test
  void should_send_a_cline_conversation_as_alternating_turns_with_every_tool_use_answered_in_the_next_turn() {
    HttpResponse<String> response = send(clineConversation(), "stream-text-then-tool-use-input-json-delta.sse", true);
    StrictStreamChecker.check(StrictStreamChecker.dataEvents(response.body()), true);

    JsonObject sent = new JsonObject(lastUpstreamRequest().getBodyAsString());
    assertEquals("claude-sonnet-4-5", sent.getString("model"));
    assertEquals(new JsonArray().add(cached("You are Cline, a software engineer.")), sent.getJsonArray("system"));
    assertEquals(8192L, sent.getLong("max_tokens"));
    assertEquals(0.0, sent.getDouble("temperature"));
    assertEquals(true, sent.getBoolean("stream"));
    assertFalse(sent.containsKey("stream_options"));
    assertEquals(new JsonObject().put("type", "auto"), sent.getJsonObject("tool_choice"));
    assertEquals(new JsonObject("""
        {"name":"read_file","description":"Cline's read_file","input_schema":{"type":"object",
         "properties":{"path":{"type":"string"}},"required":["path"]}}"""), sent.getJsonArray("tools").getJsonObject(0));

    JsonArray turns = sent.getJsonArray("messages");
    assertEquals(List.of("user", "assistant", "user", "assistant", "user"),
        turns.stream().map(t -> ((JsonObject) t).getString("role")).toList());
    for (int i = 0; i < turns.size(); i++) {
      JsonArray content = turns.getJsonObject(i).getJsonArray("content");
      Set<String> calls = new HashSet<>();
      content.forEach(b -> {
        if ("tool_use".equals(((JsonObject) b).getString("type"))) calls.add(((JsonObject) b).getString("id"));
      });
      if (calls.isEmpty()) continue;
      JsonArray next = turns.getJsonObject(i + 1).getJsonArray("content");
      Set<String> answered = new HashSet<>();
      for (int j = 0; j < calls.size(); j++) {
        assertEquals("tool_result", next.getJsonObject(j).getString("type"), "tool results lead the turn: " + next);
        answered.add(next.getJsonObject(j).getString("tool_use_id"));
      }
      assertEquals(calls, answered);
    }
    assertEquals(new JsonObject().put("type", "tool_use").put("id", "call_list_2").put("name", "list_files")
        .put("input", new JsonObject().put("path", "test")), turns.getJsonObject(3).getJsonArray("content").getJsonObject(0));
    assertEquals(new JsonObject().put("type", "text").put("text", "<environment_details>\n# Open Tabs\nA.java\n</environment_details>"),
        turns.getJsonObject(4).getJsonArray("content").getJsonObject(2));
    assertTrue(turns.getJsonObject(0).getJsonArray("content").getJsonObject(1).containsKey("cache_control"));
  }

  @Test
  void should_authenticate_with_the_providers_key_and_never_forward_the_clients() {
    send(clineConversation(), "stream-text-basic.sse", true);
    LoggedRequest request = lastUpstreamRequest();
    assertEquals(TestProxy.KEY, request.getHeader("x-api-key"));
    assertEquals("2023-06-01", request.getHeader("anthropic-version"));
    assertEquals("application/json", request.getHeader("Content-Type"));
    assertFalse(request.containsHeader("Authorization"));
    assertFalse(request.getHeaders().all().stream().anyMatch(h -> h.values().stream().anyMatch(v -> v.contains(CLIENT_KEY))));
    assertFalse(request.getBodyAsString().contains(CLIENT_KEY));
    assertFalse(request.getUrl().contains(TestProxy.KEY));
  }

  @Test
  void should_send_the_signed_thinking_of_a_non_streamed_answer_back_on_the_next_turn() {
    JsonObject question = new JsonObject().put("role", "user").put("content", "How many r in strawberry?");
    JsonObject first = new JsonObject().put("model", AnthropicGolden.ALIAS).put("reasoning_effort", "low")
        .put("messages", new JsonArray().add(question));
    JsonObject answer = new JsonObject(send(first, "nonstream-thinking-signature-text.json", false).body())
        .getJsonArray("choices").getJsonObject(0).getJsonObject("message");
    assertEquals(new JsonObject().put("type", "enabled").put("budget_tokens", 1024),
        new JsonObject(lastUpstreamRequest().getBodyAsString()).getJsonObject("thinking"));

    JsonObject second = first.copy().put("messages", new JsonArray().add(question).add(answer)
        .add(new JsonObject().put("role", "user").put("content", "And in raspberry?")));
    send(second, "nonstream-thinking-signature-text.json", false);

    JsonObject recorded = new JsonObject(Fixtures.text("anthropic/nonstream-thinking-signature-text.json"));
    JsonArray resent = new JsonObject(lastUpstreamRequest().getBodyAsString()).getJsonArray("messages").getJsonObject(1).getJsonArray("content");
    assertEquals(recorded.getJsonArray("content"), resent, "thinking (with its signature) first, then the text, as Anthropic sent them");
  }

  @Test
  void should_send_the_signed_thinking_of_a_streamed_answer_back_on_the_next_turn() {
    JsonObject question = new JsonObject().put("role", "user").put("content", "Two names for a pet pelican");
    JsonObject first = new JsonObject().put("model", AnthropicGolden.ALIAS).put("reasoning_effort", "low").put("stream", true)
        .put("messages", new JsonArray().add(question));
    List<String> events = StrictStreamChecker.dataEvents(send(first, "stream-thinking-signature-text.sse", true).body());
    StrictStreamChecker.Result result = StrictStreamChecker.check(events, false);
    // A client that keeps the extra delta field the way it keeps reasoning_content.
    JsonArray thinkingBlocks = new JsonArray();
    events.stream().filter(e -> e.contains("\"thinking_blocks\"")).forEach(e -> thinkingBlocks.addAll(
        new JsonObject(e).getJsonArray("choices").getJsonObject(0).getJsonObject("delta").getJsonArray("thinking_blocks")));
    JsonObject answer = new JsonObject().put("role", "assistant").put("content", result.content())
        .put("reasoning_content", result.reasoning()).put("thinking_blocks", thinkingBlocks);

    send(first.copy().put("messages", new JsonArray().add(question).add(answer)
        .add(new JsonObject().put("role", "user").put("content", "Two more"))), "stream-thinking-signature-text.sse", true);

    AnthropicGolden.Facts facts = AnthropicGolden.ofStream(Fixtures.text("anthropic/stream-thinking-signature-text.sse"));
    JsonObject thinking = new JsonObject(lastUpstreamRequest().getBodyAsString()).getJsonArray("messages").getJsonObject(1)
        .getJsonArray("content").getJsonObject(0);
    assertEquals("thinking", thinking.getString("type"));
    assertEquals(facts.reasoning(), thinking.getString("thinking"));
    assertEquals(facts.signature(), thinking.getString("signature"));
  }
}
