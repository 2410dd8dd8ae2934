package io.kimiproxy.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.core.tokens.TokenCounter;
import io.kimiproxy.testing.Fixtures;
import io.kimiproxy.testing.Ledger;
import io.kimiproxy.testing.StrictStreamChecker;
import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.Stubs;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real OpenAI-format streams through the proxy: the content and tool calls arrive as the provider
 * sent them, the client sees usage exactly once when it asked and never otherwise, and the ledger
 * gets the provider's usage either way.
 */
class StreamingUsageTest {
  /** Streams that carry usage, each the way its provider puts it. */
  private static final List<String> WITH_USAGE = List.of(
      "openai/chat-stream-text-include-usage.sse",           // a usage-only final chunk, "usage": null before
      "openai/chat-stream-parallel-tool-calls-include-usage.sse",
      "gemini-openai-compat/chat-stream-text-usage-every-chunk.sse",
      "groq/chat-stream-x-groq-usage.sse",                   // under x_groq
      "mistral/chat-stream-p-padding-usage.sse",             // on the finish chunk
      "openrouter/chat-stream-text-usage-cost.sse",          // on a chunk that still has a choice
      "openrouter/chat-stream-reasoning-details-gemini.sse",
      "avian/chat-stream-kimi-k2.5-reasoning-content-and-details.sse");

  @RegisterExtension
  static final SharedProxy PROXY = SharedProxy.standard();

  static Stream<Arguments> streamsBothWays() {
    return WITH_USAGE.stream().flatMap(f -> Stream.of(Arguments.of(f, true), Arguments.of(f, false)));
  }

  @ParameterizedTest(name = "{0} include_usage={1}")
  @MethodSource("streamsBothWays")
  void should_relay_the_stream_and_send_usage_only_when_asked(String fixture, boolean includeUsage, TestProxy proxy) {
    proxy.upstream().stubFor(Stubs.chat().willReturn(Stubs.sse(fixture)));
    HttpResponse<String> response = proxy.post("/v1/chat/completions", streamingChat(includeUsage));
    assertEquals(200, response.statusCode());

    StrictStreamChecker.Result got = StrictStreamChecker.check(StrictStreamChecker.dataEvents(response.body()), includeUsage);
    StrictStreamChecker.Result sent = providerStreamWithoutUsage(fixture);
    assertEquals(sent.content(), got.content());
    assertEquals(sent.reasoning(), got.reasoning());
    assertEquals(sent.toolCalls(), got.toolCalls());
    assertEquals(sent.finishReasons(), got.finishReasons());
    JsonObject reported = lastUsage(fixture);
    if (includeUsage) {
      assertEquals(reported.getLong("prompt_tokens"), got.usage().getLong("prompt_tokens"));
      assertEquals(reported.getLong("completion_tokens"), got.usage().getLong("completion_tokens"));
    } else {
      assertNull(got.usage());
    }
    assertTrue(Stubs.received(proxy.upstream()).get(0).getJsonObject("stream_options").getBoolean("include_usage"),
        "the proxy always asks the provider for usage");

    JsonObject row = Ledger.rowOf(proxy, response);
    assertEquals(reported.getLong("prompt_tokens"), row.getLong("prompt_tokens"));
    assertEquals(reported.getLong("completion_tokens"), row.getLong("completion_tokens"));
    assertEquals(false, row.getBoolean("tokens_estimated"));
    assertEquals(true, row.getBoolean("stream"));
    assertEquals(200, row.getInteger("status"));
  }

  @Test
  void should_pass_parallel_tool_calls_through_when_streaming(TestProxy proxy) {
    proxy.upstream().stubFor(Stubs.chat().willReturn(Stubs.sse("openai/chat-stream-parallel-tool-calls-include-usage.sse")));
    HttpResponse<String> response = proxy.post("/v1/chat/completions", streamingChat(true));
    StrictStreamChecker.Result got = StrictStreamChecker.check(StrictStreamChecker.dataEvents(response.body()), true);
    assertEquals(2, got.toolCalls().size(), response.body());
    for (JsonObject call : got.toolCalls()) {
      assertEquals("secret_retrieval_tool", call.getString("name"));
      assertTrue(call.getString("id").startsWith("call_"), call.encode());
      assertTrue(call.getJsonObject("arguments").containsKey("password"), call.encode());
    }
    assertEquals(List.of("tool_calls"), got.finishReasons());
  }

  @Test
  void should_keep_the_clients_other_stream_options_while_forcing_include_usage(TestProxy proxy) {
    proxy.upstream().stubFor(Stubs.chat().willReturn(Stubs.sse("openai/chat-stream-text-include-usage.sse")));
    String body = "{\"model\":\"test/model\",\"stream\":true,\"stream_options\":{\"include_usage\":false,\"include_obfuscation\":false},"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    HttpResponse<String> response = proxy.post("/v1/chat/completions", body);
    StrictStreamChecker.check(StrictStreamChecker.dataEvents(response.body()), false);
    assertEquals(new JsonObject().put("include_usage", true).put("include_obfuscation", false),
        Stubs.received(proxy.upstream()).get(0).getJsonObject("stream_options"));
  }

  @Test
  void should_estimate_usage_when_the_stream_reports_none(TestProxy proxy) {
    // Recorded without include_usage, so it carries no usage at all.
    String fixture = "openai/chat-stream-text-basic.sse";
    proxy.upstream().stubFor(Stubs.chat().willReturn(Stubs.sse(fixture)));
    HttpResponse<String> response = proxy.post("/v1/chat/completions", streamingChat(false));
    StrictStreamChecker.Result got = StrictStreamChecker.check(StrictStreamChecker.dataEvents(response.body()), false);
    JsonObject row = Ledger.rowOf(proxy, response);
    assertTrue(row.getBoolean("tokens_estimated"));
    assertEquals(new TokenCounter(10).countText("upstream-model", got.content()), row.getLong("completion_tokens"));
    assertTrue(row.getLong("prompt_tokens") > 0, row.encode());
  }

  @Test
  void should_relay_a_stream_that_ends_without_done(TestProxy proxy) {
    String withoutDone = Fixtures.text("openai/chat-stream-text-include-usage.sse").replace("data: [DONE]\n\n", "");
    proxy.upstream().stubFor(Stubs.chat().willReturn(aResponse().withHeader("Content-Type", "text/event-stream").withBody(withoutDone)));
    HttpResponse<String> response = proxy.post("/v1/chat/completions", streamingChat(true));
    StrictStreamChecker.Result got = StrictStreamChecker.check(StrictStreamChecker.dataEvents(response.body()), true);
    assertEquals(16, got.usage().getLong("prompt_tokens"));
  }

  private static String streamingChat(boolean includeUsage) {
    String options = includeUsage ? ",\"stream_options\":{\"include_usage\":true}" : "";
    return TestProxy.chat(true).replace("\"stream\":true", "\"stream\":true" + options);
  }

  /**
   * The provider's stream as a client would read it had usage never been in it, and with
   * {@code reasoning} also offered as {@code reasoning_content}, as the proxy does.
   */
  private static StrictStreamChecker.Result providerStreamWithoutUsage(String fixture) {
    List<String> events = StrictStreamChecker.dataEvents(Fixtures.text(fixture)).stream().map(data -> {
      if (data.equals("[DONE]")) return data;
      JsonObject chunk = new JsonObject(data);
      chunk.remove("usage");
      chunk.remove("x_groq");
      for (Object choice : chunk.getJsonArray("choices", new JsonArray())) {
        JsonObject delta = ((JsonObject) choice).getJsonObject("delta", new JsonObject());
        if (delta.getValue("reasoning") instanceof String r && delta.getValue("reasoning_content") == null) {
          delta.put("reasoning_content", r);
        }
      }
      return chunk.encode();
    }).toList();
    return StrictStreamChecker.check(events, false);
  }

  /** The last usage the provider reported, wherever it put it. */
  private static JsonObject lastUsage(String fixture) {
    JsonObject last = null;
    for (String data : StrictStreamChecker.dataEvents(Fixtures.text(fixture))) {
      if (data.equals("[DONE]")) continue;
      JsonObject chunk = new JsonObject(data);
      if (chunk.getValue("usage") instanceof JsonObject u) last = u;
      if (chunk.getValue("x_groq") instanceof JsonObject g && g.getValue("usage") instanceof JsonObject u) last = u;
    }
    return last;
  }
}
