package io.kimiproxy.api.messages;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.AnthropicGolden;
import io.kimiproxy.testing.Fixtures;
import io.kimiproxy.testing.MessagesClient;
import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.StrictAnthropicStreamChecker;
import io.kimiproxy.testing.StrictAnthropicStreamChecker.Frame;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The tool-call guardrails on a stream relayed as Anthropic's own events: a tool_use block is held
 * until it is complete and judged, then goes out as the provider sent it, or is left out and
 * explained in a text block of the proxy's own before the message ends; later blocks move down an
 * index, and a turn whose every call was blocked ends as end_turn.
 */
class MessagesGuardrailsTest {
  @RegisterExtension
  static final SharedProxy PROXY = SharedProxy.with(AnthropicGolden.MESSAGES_CONFIG);
  private static final String RECORDED = "anthropic/stream-text-then-tool-use-input-json-delta";
  private static JsonObject defaults;

  @BeforeEach
  void startFromTheDefaultRules() {
    if (defaults == null) defaults = new JsonObject(PROXY.get().get("/api/guardrails/rules").body());
    rules(defaults);
  }

  private static void block(String action, String... tools) {
    rules(new JsonObject().put("rules", new JsonObject().put("OTHER", new JsonObject()
        .put("action", action).put("blocked_patterns", new JsonArray(List.of(tools))))));
  }

  private static void rules(JsonObject rules) {
    HttpResponse<String> response = PROXY.get().send(PROXY.get().request("/api/guardrails/rules")
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(rules.encode())).build());
    assertEquals(200, response.statusCode(), response.body());
  }

  private static HttpResponse<String> ask(boolean stream) {
    byte[] answer = Fixtures.bytes(stream ? RECORDED + ".sse" : "anthropic/nonstream-text-and-two-tool-use.json");
    PROXY.get().upstream().stubFor(post(urlEqualTo("/v1/messages")).willReturn(aResponse()
        .withHeader("Content-Type", stream ? "text/event-stream" : "application/json").withBody(answer)
        .withChunkedDribbleDelay(stream ? 16 : 1, 60)));
    String body = new JsonObject(Fixtures.text(RECORDED + ".request.json")).put("stream", stream).encode();
    HttpResponse<String> response = MessagesClient.post(PROXY.get(), body, TestProxy.newSession());
    assertEquals(200, response.statusCode(), response.body());
    return response;
  }

  /** The guardrails' notice, as a block of its own after the provider's text (hence its leading blank line). */
  private static String notice(String tool) {
    return "\n\nKimi Proxy blocked a tool call: " + tool + " (OTHER: matches blocked pattern '" + tool + "')."
        + " The call was removed from this answer and did not run. If it was wanted, change the guardrail rules"
        + " (PUT /api/guardrails/rules) or switch guardrails off (POST /api/guardrails/toggle) and ask again.";
  }

  @Test
  void should_relay_the_providers_events_unchanged_when_the_action_is_log() {
    block("log", "get_weather");
    HttpResponse<String> response = ask(true);
    assertEquals(StrictAnthropicStreamChecker.frames(Fixtures.text(RECORDED + ".sse")),
        StrictAnthropicStreamChecker.frames(response.body()));
  }

  @Test
  void should_replace_a_blocked_tool_use_with_a_notice_and_move_the_next_block_down() {
    block("block", "get_weather");
    String body = ask(true).body();
    StrictAnthropicStreamChecker.Result result = StrictAnthropicStreamChecker.check(body);
    AnthropicGolden.Facts facts = AnthropicGolden.ofStream(Fixtures.text(RECORDED + ".sse"));

    assertEquals(List.of("text", "tool_use", "text"), result.blocks().stream().map(b -> b.getString("type")).toList());
    assertEquals(facts.text(), result.blocks().get(0).getString("text"));
    assertEquals(List.of(new JsonObject().put("id", facts.toolCalls().get(1).getString("id")).put("name", "get_time")
        .put("input", facts.toolCalls().get(1).getJsonObject("arguments"))), result.toolCalls());
    assertEquals(notice("get_weather"), result.blocks().get(2).getString("text"));
    assertEquals("tool_use", result.stopReason());
    assertEquals(facts.outputTokens(), result.finalUsage().getLong("output_tokens"));
    // The blocks before the blocked one went out as the provider wrote them.
    List<Frame> recorded = StrictAnthropicStreamChecker.frames(Fixtures.text(RECORDED + ".sse"));
    List<Frame> received = StrictAnthropicStreamChecker.frames(body);
    int firstTool = recorded.indexOf(recorded.stream().filter(f -> f.data().contains("\"get_weather\"")).findFirst().orElseThrow());
    assertEquals(recorded.subList(0, firstTool), received.subList(0, firstTool));
  }

  @Test
  void should_keep_an_allowed_tool_use_byte_for_byte_before_a_blocked_one() {
    block("block", "get_time");
    String body = ask(true).body();
    StrictAnthropicStreamChecker.Result result = StrictAnthropicStreamChecker.check(body);
    assertEquals(List.of("text", "tool_use", "text"), result.blocks().stream().map(b -> b.getString("type")).toList());
    assertEquals("get_weather", result.toolCalls().get(0).getString("name"));
    assertEquals(notice("get_time"), result.blocks().get(2).getString("text"));
    List<Frame> recorded = StrictAnthropicStreamChecker.frames(Fixtures.text(RECORDED + ".sse"));
    List<Frame> received = StrictAnthropicStreamChecker.frames(body);
    int afterWeather = recorded.indexOf(recorded.stream().filter(f -> f.data().contains("\"get_time\"")).findFirst().orElseThrow());
    assertEquals(recorded.subList(0, afterWeather), received.subList(0, afterWeather));
  }

  @Test
  void should_end_the_turn_when_every_tool_use_is_blocked() {
    block("block", "get_*");
    StrictAnthropicStreamChecker.Result result = StrictAnthropicStreamChecker.check(ask(true).body());
    assertEquals(List.of("text", "text"), result.blocks().stream().map(b -> b.getString("type")).toList());
    assertTrue(result.blocks().get(1).getString("text").startsWith("\n\nKimi Proxy blocked 2 tool calls:"), result.text());
    assertTrue(result.toolCalls().isEmpty());
    assertEquals("end_turn", result.stopReason());
  }

  @Test
  void should_guard_a_whole_answer_and_answer_in_anthropics_shape() {
    block("block", "get_weather");
    JsonObject message = new JsonObject(ask(false).body());
    JsonObject recorded = new JsonObject(Fixtures.text("anthropic/nonstream-text-and-two-tool-use.json"));
    JsonArray content = message.getJsonArray("content");
    assertEquals(List.of("text", "tool_use"), content.stream().map(b -> ((JsonObject) b).getString("type")).toList());
    assertEquals(recorded.getJsonArray("content").getJsonObject(0).getString("text") + notice("get_weather"),
        content.getJsonObject(0).getString("text"));
    assertEquals(recorded.getJsonArray("content").getJsonObject(2), content.getJsonObject(1));
    assertEquals("tool_use", message.getString("stop_reason"));
    assertEquals(recorded.getString("id"), message.getString("id"));
  }
}
