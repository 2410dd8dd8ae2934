package io.kimiproxy.proxy.wire.anthropic;

import io.kimiproxy.testing.Requests;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.core.error.ProxyError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnthropicRequestMapperTest {

  private static JsonObject map(String json) {
    return AnthropicRequestMapper.toMessagesRequest(Requests.chat(new JsonObject(json)), "claude-x");
  }

  private static JsonObject map(JsonObject body) {
    return AnthropicRequestMapper.toMessagesRequest(Requests.chat(body), "claude-x");
  }

  private static JsonObject body(JsonArray messages) {
    return new JsonObject().put("model", "a/b").put("messages", messages);
  }

  private static JsonObject msg(String role, Object content) {
    return new JsonObject().put("role", role).put("content", content);
  }

  private static JsonObject call(String id, String name, String arguments) {
    return new JsonObject().put("id", id).put("type", "function")
        .put("function", new JsonObject().put("name", name).put("arguments", arguments));
  }

  private static JsonObject toolMessage(String id, Object content) {
    return new JsonObject().put("role", "tool").put("tool_call_id", id).put("content", content);
  }

  private static JsonObject text(String text) {
    return new JsonObject().put("type", "text").put("text", text);
  }

  @Test
  void should_lift_system_and_developer_messages_into_one_system_string() {
    JsonObject out = map(body(new JsonArray()
        .add(msg("system", "You are terse."))
        .add(msg("developer", new JsonArray().add(text("Use tabs."))))
        .add(msg("user", "Hi"))));
    assertEquals("You are terse.\n\nUse tabs.", out.getString("system"));
    assertEquals(new JsonArray().add(new JsonObject().put("role", "user").put("content", new JsonArray().add(text("Hi")))),
        out.getJsonArray("messages"));
    assertEquals("claude-x", out.getString("model"));
  }

  @Test
  void should_keep_system_blocks_when_a_part_sets_a_cache_breakpoint() {
    JsonObject cached = text("Long rules").put("cache_control", new JsonObject().put("type", "ephemeral"));
    JsonObject out = map(body(new JsonArray().add(msg("system", new JsonArray().add(cached))).add(msg("user", "Hi"))));
    assertEquals(new JsonArray().add(cached), out.getJsonArray("system"));
  }

  @Test
  void should_default_max_tokens_and_prefer_max_completion_tokens_when_set() {
    JsonObject plain = body(new JsonArray().add(msg("user", "Hi")));
    assertEquals(AnthropicRequestMapper.DEFAULT_MAX_TOKENS, map(plain).getLong("max_tokens"));
    assertEquals(300L, map(plain.copy().put("max_tokens", 300)).getLong("max_tokens"));
    assertEquals(200L, map(plain.copy().put("max_tokens", 300).put("max_completion_tokens", 200)).getLong("max_tokens"));
  }

  @Test
  void should_send_only_fields_anthropic_knows() {
    JsonObject out = map("""
        {"model":"a/b","stream":true,"stream_options":{"include_usage":true},"seed":1,"presence_penalty":0.5,
         "temperature":1.7,"top_p":0.9,"stop":["\\n","END"],"user":"u1",
         "messages":[{"role":"user","content":"Hi"}]}""");
    assertEquals(new JsonObject("""
        {"model":"claude-x","messages":[{"role":"user","content":[{"type":"text","text":"Hi"}]}],"max_tokens":8192,
         "temperature":1.0,"top_p":0.9,"stop_sequences":["END"],"stream":true}"""), out);
    assertEquals(new JsonArray().add("STOP"), map("""
        {"model":"a/b","stop":"STOP","messages":[{"role":"user","content":"Hi"}]}""").getJsonArray("stop_sequences"));
  }

  @Test
  void should_map_tools_to_input_schema() {
    JsonObject out = map("""
        {"model":"a/b","messages":[{"role":"user","content":"Hi"}],"tools":[
          {"type":"function","function":{"name":"read_file","description":"Read a file",
            "parameters":{"type":"object","properties":{"path":{"type":"string"}},"required":["path"]}}},
          {"type":"function","function":{"name":"now"}}]}""");
    assertEquals(new JsonArray("""
        [{"name":"read_file","description":"Read a file",
          "input_schema":{"type":"object","properties":{"path":{"type":"string"}},"required":["path"]}},
         {"name":"now","input_schema":{"type":"object","properties":{}}}]"""), out.getJsonArray("tools"));
    assertEquals(new JsonObject().put("type", "auto"), out.getJsonObject("tool_choice"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "\"auto\"                                          | {\"type\":\"auto\"}",
      "\"none\"                                          | {\"type\":\"none\"}",
      "\"required\"                                      | {\"type\":\"any\"}",
      "{\"type\":\"function\",\"function\":{\"name\":\"now\"}} | {\"type\":\"tool\",\"name\":\"now\"}"})
  void should_map_each_tool_choice(String choice, String expected) {
    JsonObject out = map("{\"model\":\"a/b\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"now\"}}],\"tool_choice\":" + choice + "}");
    assertEquals(new JsonObject(expected), out.getJsonObject("tool_choice"));
  }

  @Test
  void should_disable_parallel_tool_use_when_the_client_turns_parallel_calls_off() {
    JsonObject out = map("""
        {"model":"a/b","messages":[{"role":"user","content":"Hi"}],"parallel_tool_calls":false,
         "tools":[{"type":"function","function":{"name":"now"}}]}""");
    assertEquals(new JsonObject().put("type", "auto").put("disable_parallel_tool_use", true), out.getJsonObject("tool_choice"));
  }

  @Test
  void should_send_no_tool_choice_without_tools() {
    assertFalse(map("""
        {"model":"a/b","messages":[{"role":"user","content":"Hi"}],"tool_choice":"auto"}""").containsKey("tool_choice"));
  }

  @Test
  void should_put_parallel_tool_results_and_following_text_in_one_user_turn_results_first() {
    JsonObject out = map(body(new JsonArray()
        .add(msg("user", "Read both"))
        .add(msg("assistant", "").put("tool_calls", new JsonArray()
            .add(call("call_1", "read_file", "{\"path\":\"a\"}"))
            .add(call("call_2", "read_file", ""))))
        .add(msg("user", "(and hurry)"))
        .add(toolMessage("call_1", "A"))
        .add(toolMessage("call_2", new JsonArray().add(text("B"))))
        .add(msg("assistant", "Done"))));
    assertEquals(new JsonArray("""
        [{"role":"user","content":[{"type":"text","text":"Read both"}]},
         {"role":"assistant","content":[
           {"type":"tool_use","id":"call_1","name":"read_file","input":{"path":"a"}},
           {"type":"tool_use","id":"call_2","name":"read_file","input":{}}]},
         {"role":"user","content":[
           {"type":"tool_result","tool_use_id":"call_1","content":"A"},
           {"type":"tool_result","tool_use_id":"call_2","content":[{"type":"text","text":"B"}]},
           {"type":"text","text":"(and hurry)"}]},
         {"role":"assistant","content":[{"type":"text","text":"Done"}]}]"""), out.getJsonArray("messages"));
  }

  @Test
  void should_merge_consecutive_turns_of_one_role_and_drop_empty_ones() {
    JsonObject out = map(body(new JsonArray()
        .add(msg("user", "one")).add(msg("user", "")).add(msg("assistant", "")).add(msg("user", "two"))));
    assertEquals(new JsonArray("""
        [{"role":"user","content":[{"type":"text","text":"one"},{"type":"text","text":"two"}]}]"""), out.getJsonArray("messages"));
  }

  @Test
  void should_rewrite_tool_ids_anthropic_rejects_the_same_way_in_call_and_result() {
    JsonObject out = map(body(new JsonArray()
        .add(msg("user", "add"))
        .add(msg("assistant", null).put("tool_calls", new JsonArray().add(call("functions.add:0", "add", "{}"))))
        .add(toolMessage("functions.add:0", "3"))));
    JsonArray turns = out.getJsonArray("messages");
    assertEquals("functions_add_0", turns.getJsonObject(1).getJsonArray("content").getJsonObject(0).getString("id"));
    assertEquals("functions_add_0", turns.getJsonObject(2).getJsonArray("content").getJsonObject(0).getString("tool_use_id"));
  }

  @Test
  void should_map_data_urls_to_base64_images_and_http_urls_to_url_images() {
    JsonArray parts = new JsonArray()
        .add(text("What is this?"))
        .add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", "data:image/png;base64,iVBORw0KGgo=")))
        .add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", "https://example.com/cat.jpg").put("detail", "low")));
    JsonArray content = map(body(new JsonArray().add(msg("user", parts)))).getJsonArray("messages").getJsonObject(0).getJsonArray("content");
    assertEquals(new JsonArray("""
        [{"type":"text","text":"What is this?"},
         {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
         {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}}]"""), content);
  }

  @Test
  void should_reject_what_anthropic_cannot_take_with_a_400() {
    ProxyError n = assertThrows(ProxyError.class, () -> map("""
        {"model":"a/b","n":2,"messages":[{"role":"user","content":"Hi"}]}"""));
    assertEquals(400, n.status());
    ProxyError args = assertThrows(ProxyError.class, () -> map(body(new JsonArray()
        .add(msg("user", "x")).add(msg("assistant", null).put("tool_calls", new JsonArray().add(call("c1", "f", "{\"a\":"))))
        .add(toolMessage("c1", "r")))));
    assertTrue(args.getMessage().contains("messages[1].tool_calls[0]"), args.getMessage());
    ProxyError image = assertThrows(ProxyError.class, () -> map(body(new JsonArray().add(msg("user", new JsonArray()
        .add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", "file:///etc/passwd"))))))));
    assertEquals(400, image.status());
    assertEquals(400, assertThrows(ProxyError.class, () -> map("""
        {"model":"a/b","reasoning_effort":"extreme","messages":[{"role":"user","content":"Hi"}]}""")).status());
  }

  @Test
  void should_turn_reasoning_effort_into_a_thinking_budget_and_leave_sampling_to_anthropic() {
    JsonObject out = map("""
        {"model":"a/b","reasoning_effort":"medium","temperature":0,"top_p":0.5,"messages":[{"role":"user","content":"Hi"}]}""");
    assertEquals(new JsonObject().put("type", "enabled").put("budget_tokens", 4096), out.getJsonObject("thinking"));
    assertEquals(AnthropicRequestMapper.DEFAULT_MAX_TOKENS + 4096, out.getLong("max_tokens"));
    assertFalse(out.containsKey("temperature"));
    assertFalse(out.containsKey("top_p"));
    assertFalse(map("""
        {"model":"a/b","reasoning_effort":"none","messages":[{"role":"user","content":"Hi"}]}""").containsKey("thinking"));
  }

  @Test
  void should_fit_the_thinking_budget_in_half_the_client_limit_or_not_think_at_all() {
    JsonObject fitted = map("""
        {"model":"a/b","reasoning_effort":"high","max_tokens":6000,"messages":[{"role":"user","content":"Hi"}]}""");
    assertEquals(3000L, fitted.getJsonObject("thinking").getLong("budget_tokens"));
    assertEquals(6000L, fitted.getLong("max_tokens"));
    JsonObject tooSmall = map("""
        {"model":"a/b","reasoning_effort":"low","max_tokens":1500,"temperature":0.2,"messages":[{"role":"user","content":"Hi"}]}""");
    assertFalse(tooSmall.containsKey("thinking"));
    assertEquals(0.2, tooSmall.getDouble("temperature"));
  }

  @Test
  void should_pass_the_clients_own_thinking_setting_through() {
    JsonObject out = map("""
        {"model":"a/b","thinking":{"type":"enabled","budget_tokens":2000},"reasoning_effort":"high",
         "messages":[{"role":"user","content":"Hi"}]}""");
    assertEquals(new JsonObject().put("type", "enabled").put("budget_tokens", 2000), out.getJsonObject("thinking"));
    assertEquals(AnthropicRequestMapper.DEFAULT_MAX_TOKENS + 2000, out.getLong("max_tokens"));
  }

  @Test
  void should_keep_sampling_and_the_plain_default_when_the_client_turns_thinking_off() {
    JsonObject out = map("""
        {"model":"a/b","thinking":{"type":"disabled","budget_tokens":5000},"temperature":0.3,
         "messages":[{"role":"user","content":"Hi"}]}""");
    assertEquals("disabled", out.getJsonObject("thinking").getString("type"));
    assertEquals(0.3, out.getDouble("temperature"));
    assertEquals(AnthropicRequestMapper.DEFAULT_MAX_TOKENS, out.getLong("max_tokens"));
  }

  @Test
  void should_not_think_when_the_tool_choice_forces_a_call() {
    JsonObject out = map("""
        {"model":"a/b","reasoning_effort":"low","tool_choice":"required","messages":[{"role":"user","content":"Hi"}],
         "tools":[{"type":"function","function":{"name":"now"}}]}""");
    assertNull(out.getValue("thinking"));
  }

  @Test
  void should_send_signed_thinking_back_first_and_drop_unsigned_thinking() {
    JsonArray blocks = new JsonArray()
        .add(new JsonObject().put("type", "thinking").put("thinking", "Let me look.").put("signature", "sig-1"))
        .add(new JsonObject().put("type", "thinking").put("thinking", "unsigned"))
        .add(new JsonObject().put("type", "redacted_thinking").put("data", "opaque"));
    JsonObject out = map(body(new JsonArray()
        .add(msg("user", "Read a"))
        .add(msg("assistant", "Reading.").put("reasoning_content", "Let me look.").put("thinking_blocks", blocks)
            .put("tool_calls", new JsonArray().add(call("toolu_1", "read_file", "{}"))))
        .add(toolMessage("toolu_1", "A"))).put("reasoning_effort", "low"));
    assertEquals(new JsonArray("""
        [{"type":"thinking","thinking":"Let me look.","signature":"sig-1"},
         {"type":"redacted_thinking","data":"opaque"},
         {"type":"text","text":"Reading."},
         {"type":"tool_use","id":"toolu_1","name":"read_file","input":{}}]"""),
        out.getJsonArray("messages").getJsonObject(1).getJsonArray("content"));
    assertTrue(out.containsKey("thinking"));
  }

  @Test
  void should_not_think_when_the_client_dropped_the_thinking_of_the_current_tool_turn() {
    // Anthropic refuses thinking when the last assistant turn called tools without its thinking block.
    JsonObject out = map(body(new JsonArray()
        .add(msg("user", "Read a"))
        .add(msg("assistant", null).put("reasoning_content", "Let me look.")
            .put("tool_calls", new JsonArray().add(call("toolu_1", "read_file", "{}"))))
        .add(toolMessage("toolu_1", "A"))).put("reasoning_effort", "low").put("temperature", 0));
    assertFalse(out.containsKey("thinking"));
    assertEquals(0.0, out.getDouble("temperature"));
  }
}
