package io.kimiproxy.proxy.inbound.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.core.model.InboundApi;
import io.kimiproxy.core.model.MessageList;
import io.kimiproxy.core.model.Role;
import io.kimiproxy.core.model.ToolChoice;
import io.kimiproxy.core.util.ContentKey;
import io.kimiproxy.proxy.wire.anthropic.AnthropicTurns;
import io.kimiproxy.testing.Fixtures;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessagesDecoderTest {
  private static final String TURN2 = "clients/claude-code-2.1.328-messages-turn2.request.json";
  private final MessagesDecoder decoder = new MessagesDecoder(1 << 22);

  private ChatRequest decode(String body) {
    return decoder.decode(Buffer.buffer(body));
  }

  @Test
  void should_read_a_recorded_claude_code_turn_into_the_neutral_model() {
    ChatRequest request = decoder.decode(Buffer.buffer(Fixtures.bytes(TURN2)));
    assertEquals(InboundApi.MESSAGES, request.api());
    assertEquals("mock-model", request.model());
    assertTrue(request.stream());
    assertEquals(32000L, request.options().maxTokens());
    assertNull(request.options().reasoningEffort());
    assertEquals("adaptive", request.options().thinking().getString("type"));
    assertEquals("50a1c3a4-03b7-4def-9f96-89445566c90e", request.sessionHint());
    assertEquals(List.of(Role.SYSTEM, Role.USER, Role.SYSTEM, Role.ASSISTANT, Role.TOOL),
        request.messages().stream().map(m -> m.role()).toList());
    assertEquals(11, request.tools().definitions().size(), "the deferred placeholder is not a tool to offer");
  }

  @Test
  void should_key_each_message_by_its_turn_and_keep_the_turns_bytes() {
    byte[] bytes = Fixtures.bytes(TURN2);
    MessageList messages = decoder.decode(Buffer.buffer(bytes)).messages();
    for (int i = 1; i < messages.size(); i++) {
      var span = messages.span(i);
      assertEquals(AnthropicTurns.memberKey(ContentKey.of(bytes, span.start(), span.end()), 1, 0), messages.key(i));
    }
    assertEquals('[', bytes[messages.span(0).start()], "the system prompt keeps the bytes of the system field");
  }

  @Test
  void should_decode_a_turn_once_and_find_it_again_by_its_bytes() {
    ChatRequest first = decoder.decode(Buffer.buffer(Fixtures.bytes("clients/claude-code-2.1.328-messages-turn1.request.json")));
    ChatRequest second = decoder.decode(Buffer.buffer(Fixtures.bytes(TURN2)));
    // Claude Code resends its system prompt and first turn as they were; it moves its cache breakpoints on the rest.
    for (int i = 0; i < 2; i++) {
      assertSame(first.messages().get(i), second.messages().get(i));
    }
  }

  @Test
  void should_split_a_user_turn_with_tool_results_into_keyed_messages_of_one_turn() {
    ChatRequest request = decode("""
        {"model":"m","messages":[{"role":"user","content":[
          {"type":"tool_result","tool_use_id":"a","content":"1"},
          {"type":"tool_result","tool_use_id":"b","content":"2"},
          {"type":"text","text":"and?"}]}]}""");
    MessageList messages = request.messages();
    assertEquals(List.of(Role.TOOL, Role.TOOL, Role.USER), messages.stream().map(m -> m.role()).toList());
    assertEquals(messages.span(0), messages.span(2));
    ContentKey turn = ContentKey.of(request.raw().bytes(), messages.span(0).start(), messages.span(0).end());
    assertEquals(AnthropicTurns.memberKey(turn, 3, 2), messages.key(2));
  }

  @Test
  void should_read_tool_choice_stop_sequences_and_an_enabled_thinking_budget() {
    ChatRequest request = decode("""
        {"model":"m","max_tokens":10,"stop_sequences":["END"],"thinking":{"type":"enabled","budget_tokens":5000},
         "tool_choice":{"type":"tool","name":"Read","disable_parallel_tool_use":true},
         "metadata":{"user_id":"user_abc_account_def_session_0b4e2c1d-aaaa-bbbb-cccc-0123456789ab"},
         "messages":[{"role":"user","content":"hi"}]}""");
    assertEquals(List.of("END"), request.options().stop());
    assertEquals("medium", request.options().reasoningEffort());
    assertEquals(ToolChoice.named("Read"), request.options().toolChoice());
    assertEquals(Boolean.FALSE, request.options().parallelToolCalls());
    assertEquals("0b4e2c1d-aaaa-bbbb-cccc-0123456789ab", request.sessionHint());
  }

  @Test
  void should_refuse_what_is_not_a_messages_request() {
    assertEquals("'messages' is required and must be a non-empty array.",
        assertThrows(ProxyError.class, () -> decode("{\"model\":\"m\",\"messages\":[]}")).getMessage());
    assertEquals("'model' is required and must be a non-empty string.",
        assertThrows(ProxyError.class, () -> decode("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")).getMessage());
    assertEquals("'system' must be a string or an array of text blocks.",
        assertThrows(ProxyError.class, () -> decode("{\"model\":\"m\",\"system\":3,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")).getMessage());
    assertEquals("'tool_choice' must be {\"type\": \"auto\"}, {\"type\": \"any\"}, {\"type\": \"none\"} or {\"type\": \"tool\", \"name\": ...}.",
        assertThrows(ProxyError.class, () -> decode(new JsonObject().put("model", "m").put("tool_choice", new JsonObject().put("type", "all"))
            .put("messages", new io.vertx.core.json.JsonArray().add(new JsonObject().put("role", "user").put("content", "x"))).encode())).getMessage());
  }
}
