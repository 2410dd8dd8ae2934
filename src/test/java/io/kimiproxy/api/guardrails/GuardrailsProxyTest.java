package io.kimiproxy.api.guardrails;

import static io.kimiproxy.api.guardrails.GuardrailsHarness.actions;
import static io.kimiproxy.api.guardrails.GuardrailsHarness.answerFromUpstream;
import static io.kimiproxy.api.guardrails.GuardrailsHarness.chat;
import static io.kimiproxy.api.guardrails.GuardrailsHarness.chunk;
import static io.kimiproxy.api.guardrails.GuardrailsHarness.rules;
import static io.kimiproxy.api.guardrails.GuardrailsHarness.sse;
import static io.kimiproxy.api.guardrails.GuardrailsHarness.streamFromUpstream;
import static io.kimiproxy.api.guardrails.GuardrailsHarness.toolCall;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.core.events.EventNames;
import io.kimiproxy.testing.AnthropicGolden;
import io.kimiproxy.testing.Fixtures;
import io.kimiproxy.testing.LiveFeed;
import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.StrictStreamChecker;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tool calls through the real proxy, streamed and whole, recorded and hand-built, under rules
 * whose action is log (the answer passes unchanged, the decision is recorded) and block (the call
 * is gone, the client reads why, the stream stays valid).
 */
class GuardrailsProxyTest {
  @RegisterExtension
  static final SharedProxy PROXY = SharedProxy.with(GuardrailsHarness.CONFIG);
  private static final String PARALLEL = "openai/chat-stream-parallel-tool-calls-include-usage.sse";
  private static final String ANTHROPIC = "anthropic/stream-text-then-tool-use-input-json-delta.sse";
  private static JsonObject defaults;

  private final String session = "guard-" + UUID.randomUUID();

  private static TestProxy proxy() {
    return PROXY.get();
  }

  @BeforeEach
  void startFromTheDefaultRules() {
    if (defaults == null) defaults = new JsonObject(proxy().get("/api/guardrails/rules").body());
    rules(proxy(), defaults.encode());
  }

  private static void other(String action, String... blocked) {
    rules(proxy(), new JsonObject().put("rules", new JsonObject().put("OTHER", new JsonObject()
        .put("action", action).put("blocked_patterns", new JsonArray(List.of(blocked))))).encode());
  }

  private static List<String> events(HttpResponse<String> response) {
    assertEquals(200, response.statusCode(), response.body());
    return StrictStreamChecker.dataEvents(response.body());
  }

  @Test
  void should_relay_the_recorded_parallel_calls_unchanged_and_record_them_when_the_action_is_log() {
    other("log", "secret_retrieval_tool");
    streamFromUpstream(proxy(), "/v1/chat/completions", Fixtures.bytes(PARALLEL));
    List<String> received = events(chat(proxy(), "test/model", true, true, session));

    StrictStreamChecker.check(received, true);
    List<String> recorded = StrictStreamChecker.dataEvents(Fixtures.text(PARALLEL));
    // Everything but the usage chunk (re-sent by the relay) and [DONE] arrives byte for byte.
    assertEquals(recorded.subList(0, recorded.size() - 2), received.subList(0, received.size() - 2));

    JsonArray actions = actions(proxy(), session);
    assertEquals(2, actions.size());
    for (Object a : actions) {
      JsonObject action = (JsonObject) a;
      assertEquals("flagged", action.getString("decision"));
      assertEquals("OTHER", action.getString("type"));
      assertEquals("secret_retrieval_tool", action.getString("tool"));
      assertEquals("blocked_patterns", action.getString("rule"));
      assertEquals("{\"password\": \"[redacted]\"}", action.getString("preview"));
    }
    assertEquals(List.of(1, 0), actions.stream().map(a -> ((JsonObject) a).getInteger("call_index")).toList(), "newest first");
  }

  @Test
  void should_remove_a_blocked_recorded_call_keep_the_other_and_tell_the_user() {
    other("block", "re:radiance");
    streamFromUpstream(proxy(), "/v1/chat/completions", Fixtures.bytes(PARALLEL));
    List<String> received = events(chat(proxy(), "test/model", true, true, session));

    StrictStreamChecker.Result result = StrictStreamChecker.check(received, true);
    assertEquals(1, result.toolCalls().size());
    assertEquals("call_M26z19sncd7b4LBgzKRRbaUE", result.toolCalls().get(0).getString("id"));
    assertEquals(new JsonObject().put("password", "mellon"), result.toolCalls().get(0).getJsonObject("arguments"));
    assertEquals("Kimi Proxy blocked a tool call: secret_retrieval_tool (OTHER: matches blocked pattern 're:radiance')."
        + " The call was removed from this answer and did not run. If it was wanted, change the guardrail rules"
        + " (PUT /api/guardrails/rules) or switch guardrails off (POST /api/guardrails/toggle) and ask again.", result.content());
    assertEquals(List.of("tool_calls"), result.finishReasons());
    assertEquals(128, result.usage().getInteger("total_tokens"));
    // The kept call went out as the provider sent it.
    List<String> recorded = StrictStreamChecker.dataEvents(Fixtures.text(PARALLEL));
    assertTrue(received.containsAll(recorded.subList(1, 7)));

    List<String> decisions = actions(proxy(), session).stream().map(a -> ((JsonObject) a).getString("decision")).toList();
    assertEquals(List.of("blocked", "allowed"), decisions);
  }

  @Test
  void should_stop_the_answer_when_every_recorded_call_is_blocked() {
    other("block", "secret_*");
    streamFromUpstream(proxy(), "/v1/chat/completions", Fixtures.bytes(PARALLEL));
    StrictStreamChecker.Result result = StrictStreamChecker.check(events(chat(proxy(), "test/model", true, false, session)), false);
    assertTrue(result.toolCalls().isEmpty());
    assertEquals(List.of("stop"), result.finishReasons());
    assertTrue(result.content().startsWith("Kimi Proxy blocked 2 tool calls:\n- secret_retrieval_tool (OTHER: matches blocked"
        + " pattern 'secret_*')\n- secret_retrieval_tool"), result.content());
  }

  @Test
  void should_guard_anthropic_tool_use_translated_to_openai_chunks() {
    AnthropicGolden.Facts facts = AnthropicGolden.ofStream(Fixtures.text(ANTHROPIC));
    other("block", "get_time");
    streamFromUpstream(proxy(), "/v1/messages", Fixtures.bytes(ANTHROPIC));
    StrictStreamChecker.Result blocked = StrictStreamChecker.check(events(chat(proxy(), "claude", true, true, session)), true);
    assertEquals(List.of(facts.toolCalls().get(0)), blocked.toolCalls());
    assertEquals(facts.text() + "\n\nKimi Proxy blocked a tool call: get_time (OTHER: matches blocked pattern 'get_time').",
        blocked.content().substring(0, blocked.content().indexOf(" The call was removed")));
    assertEquals(List.of("tool_calls"), blocked.finishReasons());
    assertEquals(facts.outputTokens(), blocked.usage().getLong("completion_tokens"));

    other("log", "get_time");
    String logged = "guard-" + UUID.randomUUID();
    StrictStreamChecker.Result passed = StrictStreamChecker.check(events(chat(proxy(), "claude", true, false, logged)), false);
    assertEquals(facts.toolCalls(), passed.toolCalls());
    assertEquals(facts.text(), passed.content());
    List<String> decisions = actions(proxy(), logged).stream().map(a -> ((JsonObject) a).getString("tool") + "="
        + ((JsonObject) a).getString("decision")).toList();
    assertEquals(List.of("get_time=flagged", "get_weather=allowed"), decisions);
  }

  @Test
  void should_guard_a_gemini_function_call_that_arrives_whole_after_its_thoughts() {
    other("block", "pelican_*");
    streamFromUpstream(proxy(), "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
        GuardrailsHarness.geminiSse("gemini/stream-jsonarray-thought-then-functioncall.json"));
    StrictStreamChecker.Result result = StrictStreamChecker.check(events(chat(proxy(), "gemini/flash", true, true, session)), true);
    assertTrue(result.reasoning().startsWith("**Generating Pelican Names**"), result.reasoning());
    assertTrue(result.toolCalls().isEmpty());
    assertTrue(result.content().startsWith("Kimi Proxy blocked a tool call: pelican_name_generator (OTHER: matches blocked"
        + " pattern 'pelican_*')."), result.content());
    assertEquals(List.of("stop"), result.finishReasons());

    other("log", "pelican_*");
    String logged = "guard-" + UUID.randomUUID();
    StrictStreamChecker.Result passed = StrictStreamChecker.check(events(chat(proxy(), "gemini/flash", true, false, logged)), false);
    assertEquals(List.of("pelican_name_generator"), passed.toolCalls().stream().map(c -> c.getString("name")).toList());
    assertEquals(List.of("tool_calls"), passed.finishReasons());
    assertEquals("flagged", actions(proxy(), logged).getJsonObject(0).getString("decision"));
  }

  /** Cline deleting everything: the command arrives two characters at a time after a line of text. */
  private static byte[] clineDeletesEverything() {
    List<String> chunks = new ArrayList<>();
    chunks.add(chunk("{\"role\":\"assistant\",\"content\":\"I'll remove the old build output.\"}", null));
    chunks.addAll(toolCall(0, "toolu_cline_1", "execute_command", "{\"command\":\"rm -rf /\",\"requires_approval\":false}", 2));
    chunks.add(chunk("{}", "tool_calls"));
    return sse(chunks);
  }

  @Test
  void should_block_a_cline_command_streamed_in_fragments() {
    rules(proxy(), "{\"rules\":{\"TERMINAL_COMMAND\":{\"action\":\"block\"}}}");
    streamFromUpstream(proxy(), "/v1/chat/completions", clineDeletesEverything());
    StrictStreamChecker.Result result;
    try (LiveFeed dashboard = LiveFeed.connect(proxy(), "")) {
      dashboard.next(EventNames.INIT);
      result = StrictStreamChecker.check(events(chat(proxy(), "test/model", true, false, session)), false);
      JsonObject event = dashboard.next(EventNames.GUARDRAIL).getJsonObject("data");
      assertEquals(session, event.getString("session"));
      assertEquals("blocked", event.getString("decision"));
      assertEquals("execute_command", event.getString("tool"));
    }
    assertTrue(result.toolCalls().isEmpty());
    assertTrue(result.content().startsWith("I'll remove the old build output.\n\nKimi Proxy blocked a tool call: execute_command"
        + " `rm -rf /` (TERMINAL_COMMAND: matches blocked pattern 'rm -rf'). The call was removed"), result.content());
    assertEquals(List.of("stop"), result.finishReasons());
    JsonObject action = actions(proxy(), session).getJsonObject(0);
    assertEquals("blocked", action.getString("decision"));
    assertEquals("TERMINAL_COMMAND", action.getString("type"));
    assertEquals("rm -rf", action.getString("pattern"));
    assertEquals("rm -rf /", action.getString("preview"));
    assertEquals("cline", action.getString("client"));
  }

  @Test
  void should_relay_a_flagged_cline_command_unchanged_when_the_action_is_log() {
    byte[] upstream = clineDeletesEverything();
    streamFromUpstream(proxy(), "/v1/chat/completions", upstream);
    List<String> received = events(chat(proxy(), "test/model", true, false, session));
    assertEquals(StrictStreamChecker.dataEvents(new String(upstream, java.nio.charset.StandardCharsets.UTF_8)), received);
    JsonObject action = actions(proxy(), session).getJsonObject(0);
    assertEquals("flagged", action.getString("decision"));
    assertEquals("matches blocked pattern 'rm -rf'", action.getString("reason"));
  }

  @Test
  void should_block_a_continue_write_to_env_and_keep_the_read_after_it() {
    rules(proxy(), "{\"rules\":{\"FILE_WRITE\":{\"action\":\"block\"}}}");
    String contents = "OPENAI_API_KEY=sk-proj-abcdef1234567890abcdef\nDEBUG=true\n";
    List<String> chunks = new ArrayList<>(toolCall(0, "call_w", "create_new_file",
        new JsonObject().put("filepath", ".env").put("contents", contents).encode(), 7));
    chunks.addAll(toolCall(1, "call_r", "read_file", "{\"filepath\":\"README.md\"}", 5));
    chunks.add(chunk("{}", "tool_calls"));
    streamFromUpstream(proxy(), "/v1/chat/completions", sse(chunks));
    StrictStreamChecker.Result result = StrictStreamChecker.check(events(chat(proxy(), "test/model", true, false, session)), false);
    assertEquals(List.of("call_r"), result.toolCalls().stream().map(c -> c.getString("id")).toList());
    assertTrue(result.content().startsWith("Kimi Proxy blocked a tool call: create_new_file `.env` (FILE_WRITE: matches"
        + " blocked pattern '*.env')."), result.content());
    assertEquals(List.of("tool_calls"), result.finishReasons());
    String stored = actions(proxy(), session).encode();
    assertFalse(stored.contains("sk-proj") || stored.contains("DEBUG"), stored);
    assertTrue(stored.contains("\"preview\":\".env (" + contents.length() + " bytes)\""), stored);
  }

  @Test
  void should_guard_whole_answers_too() {
    String recorded = Fixtures.text("openai/chat-nonstream-parallel-tool-calls.json");
    answerFromUpstream(proxy(), recorded);
    HttpResponse<String> logged = chat(proxy(), "test/model", false, false, session);
    assertEquals(recorded, logged.body(), "nothing blocked: the provider's bytes");

    other("block", "re:Boston");
    HttpResponse<String> response = chat(proxy(), "test/model", false, false, session);
    JsonObject choice = new JsonObject(response.body()).getJsonArray("choices").getJsonObject(0);
    JsonArray calls = choice.getJsonObject("message").getJsonArray("tool_calls");
    assertEquals(1, calls.size());
    assertEquals("{\"location\": \"San Francisco\"}", calls.getJsonObject(0).getJsonObject("function").getString("arguments"));
    assertTrue(choice.getJsonObject("message").getString("content")
        .startsWith("Kimi Proxy blocked a tool call: get_current_weather (OTHER: matches blocked pattern 're:Boston')."));
    assertEquals("tool_calls", choice.getString("finish_reason"));

    other("block", "get_current_weather");
    JsonObject stopped = new JsonObject(chat(proxy(), "test/model", false, false, session).body())
        .getJsonArray("choices").getJsonObject(0);
    assertNull(stopped.getJsonObject("message").getValue("tool_calls"));
    assertEquals("stop", stopped.getString("finish_reason"));
    assertEquals(6, actions(proxy(), session).size());
  }

  @Test
  void should_leave_answers_alone_and_record_nothing_while_switched_off() {
    rules(proxy(), "{\"enabled\":false,\"rules\":{\"TERMINAL_COMMAND\":{\"action\":\"block\"}}}");
    byte[] upstream = clineDeletesEverything();
    streamFromUpstream(proxy(), "/v1/chat/completions", upstream);
    List<String> received = events(chat(proxy(), "test/model", true, false, session));
    assertEquals(StrictStreamChecker.dataEvents(new String(upstream, java.nio.charset.StandardCharsets.UTF_8)), received);
    assertEquals(0, actions(proxy(), session).size());
  }
}
