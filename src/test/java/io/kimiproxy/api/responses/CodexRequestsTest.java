package io.kimiproxy.api.responses;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.kimiproxy.testing.Stubs.json;
import static io.kimiproxy.testing.Stubs.sse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.Fixtures;
import io.kimiproxy.testing.Ledger;
import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.StrictResponsesStreamChecker;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The requests Codex 0.169.0 really sent (tests-data/fixtures/clients/codex-*: the task, then the
 * conversation with the tool's result), with the headers it sent, through the proxy: refused by name
 * for a Chat Completions provider while they carry Codex's hosted tools, translated into the chat
 * request a provider needs once those are off, passed through as they came to a provider that serves
 * Responses; found in their session by Codex's id and recorded as client codex, api responses.
 */
class CodexRequestsTest {
  private static final String CHAT_PATH = "/v1/chat/completions";
  private static final String RESPONSES_PATH = "/native/v1/responses";
  private static final String SESSION = "01a25351-4c9c-7001-b33d-07ec9b4d663c";
  @RegisterExtension
  static final SharedProxy SHARED = SharedProxy.with("""
      [providers.chat]
      base_url = "{{UPSTREAM}}/v1"
      api_key = "${TEST_KEY}"

      [providers.native]
      base_url = "{{UPSTREAM}}/native/v1"
      api_key = "${TEST_KEY}"
      responses = true

      [models."mock-model"]
      provider = "chat"
      model = "chat-model"
      max_context = 200000
      input_price = 1.0
      output_price = 2.0

      [models."native-model"]
      provider = "native"
      model = "gpt-test"
      max_context = 200000
      """);

  @Test
  void should_refuse_codex_hosted_tools_for_a_chat_provider_naming_them_and_how_to_turn_them_off(TestProxy proxy) {
    HttpResponse<String> response = send(proxy, Fixtures.text("clients/codex-0.169.0-responses-turn1.request.json"), 1);

    assertEquals(400, response.statusCode(), response.body());
    String message = new JsonObject(response.body()).getJsonObject("error").getString("message");
    assertTrue(message.contains("tools of type namespace, web_search"), message);
    assertTrue(message.contains("web_search = \"disabled\""), message);
    assertEquals(0, proxy.upstream().findAll(postRequestedFor(urlEqualTo(CHAT_PATH))).size());
  }

  @Test
  void should_translate_both_recorded_turns_for_a_chat_provider_once_hosted_tools_are_off(TestProxy proxy) {
    proxy.upstream().stubFor(post(urlEqualTo(CHAT_PATH)).willReturn(sse("openai/chat-stream-parallel-tool-calls-include-usage.sse")));

    for (int turn = 1; turn <= 2; turn++) {
      HttpResponse<String> response = send(proxy, withoutHostedTools("clients/codex-0.169.0-responses-turn" + turn
          + ".request.json"), turn);
      assertEquals(200, response.statusCode(), response.body());
      StrictResponsesStreamChecker.check(response.body());
    }

    List<JsonObject> sent = proxy.upstream().findAll(postRequestedFor(urlEqualTo(CHAT_PATH))).stream()
        .map(r -> new JsonObject(r.getBodyAsString())).toList();
    JsonObject turn2 = sent.get(1);
    List<JsonObject> messages = turn2.getJsonArray("messages").stream().map(JsonObject.class::cast).toList();
    assertEquals(List.of("system", "system", "user", "user", "assistant", "tool"),
        messages.stream().map(m -> m.getString("role")).toList());
    assertTrue(messages.get(0).getString("content").startsWith("You are a coding agent running in the Codex CLI"));
    assertEquals("Create a file named hello.txt in the current directory containing a friendly greeting.",
        messages.get(3).getString("content"));
    JsonObject call = messages.get(4).getJsonArray("tool_calls").getJsonObject(0);
    assertEquals("call_5c80e06c81c2f38a1e41137e", call.getString("id"));
    assertEquals("exec_command", call.getJsonObject("function").getString("name"));
    assertTrue(call.getJsonObject("function").getString("arguments").contains("hello.txt"));
    assertEquals("call_5c80e06c81c2f38a1e41137e", messages.get(5).getString("tool_call_id"));
    assertTrue(messages.get(5).getString("content").startsWith("Chunk ID: 818d33"));
    assertEquals(List.of("exec_command", "write_stdin", "request_user_input", "view_image", "get_goal", "create_goal",
        "update_goal"), turn2.getJsonArray("tools").stream()
        .map(t -> ((JsonObject) t).getJsonObject("function").getString("name")).toList());
    assertEquals("auto", turn2.getString("tool_choice"));
    assertEquals(true, turn2.getBoolean("parallel_tool_calls"));
    assertEquals(sent.get(0).getJsonArray("messages").getList().subList(0, 4),
        turn2.getJsonArray("messages").getList().subList(0, 4), "turn 2 repeats turn 1's messages unchanged");

    // The session is Codex's own id (prompt_cache_key): other tests' turns of the same recording land in it too.
    List<JsonObject> rows = Ledger.rows(proxy, SESSION).stream().filter(r -> r.getInteger("status") == 200 && "chat".equals(r.getString("provider"))).toList();
    assertEquals(2, rows.size());
    for (JsonObject row : rows) {
      assertEquals("codex", row.getString("client"));
      assertEquals("responses", row.getString("api"));
      assertTrue(row.getDouble("cost_usd") > 0, row.encode());
    }
  }

  @Test
  void should_pass_the_recorded_turn_through_to_a_provider_that_serves_responses(TestProxy proxy) {
    proxy.upstream().stubFor(post(urlEqualTo(RESPONSES_PATH)).willReturn(json(200, "openai-responses/nonstream-text.json")));
    String recorded = Fixtures.text("clients/codex-0.169.0-responses-turn2.request.json")
        .replace("\"model\": \"mock-model\"", "\"model\": \"native-model\"").replace("\"stream\": true", "\"stream\": false");

    HttpResponse<String> response = send(proxy, recorded, 2);

    assertEquals(200, response.statusCode(), response.body());
    String upstream = proxy.upstream().findAll(postRequestedFor(urlEqualTo(RESPONSES_PATH))).get(0).getBodyAsString();
    JsonObject client = new JsonObject(recorded);
    JsonObject sent = new JsonObject(upstream);
    assertEquals("gpt-test", sent.getString("model"));
    client.put("model", "gpt-test");
    assertEquals(client, sent);
    String input = recorded.substring(recorded.indexOf("\"input\": [") + "\"input\": ".length(), recorded.indexOf(",\n \"tools\""));
    assertTrue(upstream.contains(input), "the input items went upstream as Codex wrote them");
  }

  /** The recorded request as Codex sends it with web_search = "disabled" and [agents] enabled = false. */
  private static String withoutHostedTools(String fixture) {
    JsonObject body = new JsonObject(Fixtures.text(fixture));
    JsonArray tools = new JsonArray();
    body.getJsonArray("tools").forEach(t -> {
      if ("function".equals(((JsonObject) t).getString("type"))) tools.add(t);
    });
    return body.put("tools", tools).encode();
  }

  /** The body with the headers Codex sent on that turn (those the HTTP client may set). */
  private static HttpResponse<String> send(TestProxy proxy, String body, int turn) {
    JsonObject headers = new JsonObject(Fixtures.text("clients/codex-0.169.0-responses-turn" + turn + ".meta.json"))
        .getJsonObject("request").getJsonObject("headers");
    HttpRequest.Builder request = proxy.request("/v1/responses");
    headers.forEach(h -> {
      if (!Set.of("host", "content-length", "connection").contains(h.getKey())) request.header(h.getKey(), (String) h.getValue());
    });
    return proxy.send(request.POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }
}
