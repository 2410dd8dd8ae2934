package io.kimiproxy.proxy.inbound.responses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.core.model.InboundApi;
import io.kimiproxy.core.model.Message;
import io.kimiproxy.core.model.MessageList;
import io.kimiproxy.core.model.Role;
import io.kimiproxy.testing.Fixtures;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Responses items into neutral messages: one message per assistant turn, keys and bytes kept for the next turn. */
class ResponsesDecoderTest {
  private final ResponsesDecoder decoder = new ResponsesDecoder(8 << 20);

  @Test
  void should_make_one_assistant_message_of_each_turn_s_reasoning_text_and_calls() {
    JsonArray input = new JsonArray()
        .add(user("Fix it"))
        .add(reasoning("Look around.")).add(assistant("Looking.")).add(call("c1", "ls")).add(call("c2", "pwd"))
        .add(output("c1")).add(output("c2"))
        .add(reasoning("Then edit.")).add(call("c3", "sed"))
        .add(output("c3"))
        .add(reasoning("Only thinking.")).add(reasoning("Still thinking."))
        .add(assistant("Done.")).add(assistant("Anything else?"));

    MessageList messages = decode(new JsonObject().put("model", "m").put("instructions", "Be careful.").put("input", input))
        .messages();

    assertEquals(List.of(Role.SYSTEM, Role.USER, Role.ASSISTANT, Role.TOOL, Role.TOOL, Role.ASSISTANT, Role.TOOL,
        Role.ASSISTANT, Role.ASSISTANT), messages.stream().map(Message::role).toList());
    Message first = messages.get(2);
    assertEquals("Looking.", first.text());
    assertEquals(List.of("c1", "c2"), first.toolCalls().stream().map(c -> c.id()).toList());
    assertEquals("Look around.", first.reasoning().get(0).text());
    assertEquals("Then edit.", messages.get(5).reasoning().get(0).text());
    assertEquals(List.of("Only thinking.", "Still thinking."), messages.get(7).reasoning().stream().map(t -> t.text()).toList());
    assertEquals("Done.", messages.get(7).text());
    assertEquals("Anything else?", messages.get(8).text());
  }

  @Test
  void should_keep_each_message_s_key_bytes_and_instance_when_the_conversation_grows() {
    JsonObject turn1 = new JsonObject(Fixtures.text("clients/codex-0.169.0-responses-turn1.request.json"));
    JsonObject turn2 = new JsonObject(Fixtures.text("clients/codex-0.169.0-responses-turn2.request.json"));

    ChatRequest first = decode(turn1);
    ChatRequest second = decode(turn2);

    assertEquals(InboundApi.RESPONSES, second.api());
    assertEquals("01a25351-4c9c-7001-b33d-07ec9b4d663c", second.sessionHint());
    assertEquals(4, first.messages().size());
    assertEquals(6, second.messages().size());
    for (int i = 0; i < first.messages().size(); i++) {
      assertEquals(first.messages().key(i), second.messages().key(i));
      assertSame(first.messages().get(i), second.messages().get(i), "decoded once, found again by key");
    }
    MessageList messages = second.messages();
    String call = new String(messages.bytes(), messages.span(4).start(), messages.span(4).length(), StandardCharsets.UTF_8);
    assertTrue(call.startsWith("{\"type\":\"function_call\"") && call.endsWith("}"), call);
    assertEquals(7, second.tools().definitions().size(), "function tools only; web_search and the namespace stay in the bytes");
  }

  private ChatRequest decode(JsonObject body) {
    return decoder.decode(Buffer.buffer(body.encode()));
  }

  private static JsonObject user(String text) {
    return new JsonObject().put("type", "message").put("role", "user").put("content", text);
  }

  private static JsonObject assistant(String text) {
    return new JsonObject().put("type", "message").put("role", "assistant")
        .put("content", new JsonArray().add(new JsonObject().put("type", "output_text").put("text", text)));
  }

  private static JsonObject reasoning(String summary) {
    return new JsonObject().put("type", "reasoning").put("summary",
        new JsonArray().add(new JsonObject().put("type", "summary_text").put("text", summary)));
  }

  private static JsonObject call(String id, String cmd) {
    return new JsonObject().put("type", "function_call").put("call_id", id).put("name", "exec")
        .put("arguments", new JsonObject().put("cmd", cmd).encode());
  }

  private static JsonObject output(String id) {
    return new JsonObject().put("type", "function_call_output").put("call_id", id).put("output", "ok");
  }
}
