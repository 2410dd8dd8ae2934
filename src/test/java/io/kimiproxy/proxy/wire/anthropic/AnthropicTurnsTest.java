package io.kimiproxy.proxy.wire.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.model.Message;
import io.kimiproxy.core.model.Part;
import io.kimiproxy.core.model.Role;
import io.kimiproxy.core.model.Thinking;
import io.kimiproxy.testing.Fixtures;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Anthropic turns to neutral messages and back: what a splice writes for a changed turn says what the client's said. */
class AnthropicTurnsTest {

  private static JsonObject roundTrip(JsonObject turn) {
    JsonArray encoded = AnthropicTurns.encode(AnthropicTurns.decode(turn, 0));
    assertEquals(1, encoded.size(), encoded.encode());
    return encoded.getJsonObject(0);
  }

  @Test
  void should_encode_every_recorded_claude_code_turn_back_to_what_it_was() {
    JsonObject request = new JsonObject(Fixtures.text("clients/claude-code-2.1.328-messages-turn2.request.json"));
    for (Object turn : request.getJsonArray("messages")) {
      assertEquals(turn, roundTrip((JsonObject) turn));
    }
    assertEquals(request.getJsonArray("system"), AnthropicTurns.encodeSystem(List.of(AnthropicTurns.decodeSystem(request.getValue("system")))));
  }

  @Test
  void should_keep_thinking_signatures_images_documents_and_errors_of_tool_results() {
    JsonObject assistant = new JsonObject("""
        {"role":"assistant","content":[
          {"type":"thinking","thinking":"Let me look.","signature":"EqQBCkYIBxgCKkA"},
          {"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix"},
          {"type":"text","text":"Reading it.","cache_control":{"type":"ephemeral","ttl":"1h"}},
          {"type":"tool_use","id":"toolu_01","name":"Read","input":{"file_path":"/a.png"}}]}""");
    JsonObject user = new JsonObject("""
        {"role":"user","content":[
          {"type":"tool_result","tool_use_id":"toolu_01","is_error":true,"content":[
            {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}]},
          {"type":"document","source":{"type":"text","media_type":"text/plain","data":"notes"}},
          {"type":"text","text":"Go on."}]}""");
    assertEquals(assistant, roundTrip(assistant));
    assertEquals(user, roundTrip(user));

    List<Message> decoded = AnthropicTurns.decode(assistant, 0);
    Message message = decoded.get(0);
    assertEquals(List.of(new Thinking("Let me look.", "EqQBCkYIBxgCKkA", null), new Thinking(null, null, "EmwKAhgBEgy3va3pzix")),
        message.reasoning());
    assertEquals("{\"file_path\":\"/a.png\"}", message.toolCalls().get(0).arguments());
    List<Message> results = AnthropicTurns.decode(user, 1);
    assertEquals(List.of(Role.TOOL, Role.USER), results.stream().map(Message::role).toList());
    assertEquals(new Part.Image("data:image/png;base64,iVBORw0KGgo=", null, null), results.get(0).content().get(0));
    assertEquals("document", ((Part.Other) results.get(1).content().get(0)).type());
  }

  @Test
  void should_join_tool_results_and_words_of_a_row_into_one_user_turn_results_first() {
    List<Message> messages = new ArrayList<>();
    messages.add(Message.text(Role.USER, "Also check b."));
    messages.add(Message.toolResult("toolu_02", "b is fine"));
    JsonArray turns = AnthropicTurns.encode(messages);
    assertEquals(new JsonArray("""
        [{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_02","content":"b is fine"},
          {"type":"text","text":"Also check b."}]}]"""), turns);
  }

  @Test
  void should_refuse_a_malformed_turn_naming_it() {
    ProxyError role = assertThrows(ProxyError.class, () -> AnthropicTurns.decode(new JsonObject().put("role", "tool").put("content", "x"), 3));
    assertEquals("messages[3].role must be \"user\", \"assistant\" or \"system\".", role.getMessage());
    ProxyError block = assertThrows(ProxyError.class, () -> AnthropicTurns.decode(new JsonObject("""
        {"role":"assistant","content":[{"type":"tool_use","id":"","name":"Read","input":{}}]}"""), 2));
    assertEquals("messages[2].content[0]: a tool_use needs an id and a name.", block.getMessage());
  }
}
