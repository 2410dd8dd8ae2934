package io.kimiproxy.proxy.wire.gemini;

import io.kimiproxy.testing.Requests;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.testing.Fixtures;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class GeminiRequestMapperTest {
  private static final String SIGNATURE = "Et0BCtoBAXLI2nwMB4momyXTj+K3OPELPDi5Mq6bA5ZHuiKVF9m94gyxd";

  /** A Cline-style agent turn: system prompt, a task with a screenshot, two parallel reads answered, a follow-up. */
  private static JsonObject agentConversation() {
    return new JsonObject("""
        {"model":"gemini/flash","stream":true,"messages":[
          {"role":"system","content":"You are Cline, a highly skilled software engineer."},
          {"role":"user","content":[
            {"type":"text","text":"<task>Fix the failing test</task>"},
            {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]},
          {"role":"assistant","content":"I'll read both files first.","tool_calls":[
            {"id":"call_a","type":"function","function":{"name":"read_file","arguments":"{\\"path\\":\\"src/app.ts\\"}"},
             "extra_content":{"google":{"thought_signature":"%s"}}},
            {"id":"call_b","type":"function","function":{"name":"read_file","arguments":"{\\"path\\":\\"test/app.test.ts\\"}"}}]},
          {"role":"tool","tool_call_id":"call_a","content":"export const add = (a, b) => a - b;"},
          {"role":"tool","tool_call_id":"call_b","content":"{\\"lines\\":12,\\"text\\":\\"expect(add(1,2)).toBe(3)\\"}"},
          {"role":"user","content":"Also keep the style."}],
         "tools":[{"type":"function","function":{"name":"read_file","description":"Read a file",
           "parameters":{"type":"object","properties":{"path":{"type":"string"}},"required":["path"],
                         "additionalProperties":false,"$schema":"http://json-schema.org/draft-07/schema#"}}}],
         "tool_choice":"auto","temperature":0.2,"top_p":0.9,"max_tokens":4096,"stop":["</done>"],"n":1}
        """.formatted(SIGNATURE));
  }

  @Test
  void should_map_an_agent_conversation_to_contents_with_alternating_roles() {
    JsonObject body = GeminiRequestMapper.toGenerateContent(Requests.chat(agentConversation()), false);
    assertEquals(new JsonObject().put("parts", new JsonArray().add(new JsonObject()
        .put("text", "You are Cline, a highly skilled software engineer."))), body.getJsonObject("systemInstruction"));
    JsonArray contents = body.getJsonArray("contents");
    assertEquals(3, contents.size(), contents.encodePrettily());
    assertEquals("user", contents.getJsonObject(0).getString("role"));
    assertEquals(new JsonObject().put("mimeType", "image/png").put("data", "iVBORw0KGgo="),
        contents.getJsonObject(0).getJsonArray("parts").getJsonObject(1).getJsonObject("inlineData"));

    JsonObject model = contents.getJsonObject(1);
    assertEquals("model", model.getString("role"));
    JsonArray modelParts = model.getJsonArray("parts");
    assertEquals("I'll read both files first.", modelParts.getJsonObject(0).getString("text"));
    assertEquals(new JsonObject().put("name", "read_file").put("args", new JsonObject().put("path", "src/app.ts")),
        modelParts.getJsonObject(1).getJsonObject("functionCall"));
    assertEquals(SIGNATURE, modelParts.getJsonObject(1).getString("thoughtSignature"), "the signature goes back where it came from");
    assertFalse(modelParts.getJsonObject(2).containsKey("thoughtSignature"), "Gemini signs only the first of parallel calls");

    // Both tool results answer one turn: one user content with two functionResponse parts, and the
    // follow-up text joins it, as Gemini wants user and model turns to alternate.
    JsonArray answers = contents.getJsonObject(2).getJsonArray("parts");
    assertEquals("user", contents.getJsonObject(2).getString("role"));
    assertEquals(3, answers.size());
    assertEquals(new JsonObject().put("name", "read_file").put("response",
        new JsonObject().put("content", "export const add = (a, b) => a - b;")), answers.getJsonObject(0).getJsonObject("functionResponse"));
    assertEquals(new JsonObject().put("lines", 12).put("text", "expect(add(1,2)).toBe(3)"),
        answers.getJsonObject(1).getJsonObject("functionResponse").getJsonObject("response"));
    assertEquals("Also keep the style.", answers.getJsonObject(2).getString("text"));
  }

  @Test
  void should_send_tools_tool_choice_and_sampling_options_in_gemini_terms() {
    JsonObject body = GeminiRequestMapper.toGenerateContent(Requests.chat(agentConversation()), false);
    JsonObject declaration = body.getJsonArray("tools").getJsonObject(0).getJsonArray("functionDeclarations").getJsonObject(0);
    assertEquals("read_file", declaration.getString("name"));
    assertEquals("Read a file", declaration.getString("description"));
    assertEquals(new JsonObject("{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}},\"required\":[\"path\"]}"),
        declaration.getJsonObject("parameters"));
    assertEquals(new JsonObject().put("functionCallingConfig", new JsonObject().put("mode", "AUTO")), body.getJsonObject("toolConfig"));
    assertEquals(new JsonObject("{\"temperature\":0.2,\"topP\":0.9,\"maxOutputTokens\":4096,\"candidateCount\":1,"
        + "\"stopSequences\":[\"</done>\"]}"), body.getJsonObject("generationConfig"));
  }

  @Test
  void should_map_each_tool_choice() {
    assertEquals("NONE", toolConfig("\"none\"").getString("mode"));
    assertEquals("ANY", toolConfig("\"required\"").getString("mode"));
    JsonObject named = toolConfig("{\"type\":\"function\",\"function\":{\"name\":\"read_file\"}}");
    assertEquals(new JsonObject().put("mode", "ANY").put("allowedFunctionNames", new JsonArray().add("read_file")), named);
    assertThrows(ProxyError.class, () -> toolConfig("\"sometimes\""));
  }

  private static JsonObject toolConfig(String choice) {
    JsonObject request = agentConversation().put("tool_choice", new JsonObject("{\"c\":" + choice + "}").getValue("c"));
    return GeminiRequestMapper.toGenerateContent(Requests.chat(request), false).getJsonObject("toolConfig").getJsonObject("functionCallingConfig");
  }

  @Test
  void should_prefer_max_completion_tokens_and_take_a_single_stop_string() {
    JsonObject request = simple().put("max_tokens", 100).put("max_completion_tokens", 200).put("stop", "END");
    JsonObject config = GeminiRequestMapper.toGenerateContent(Requests.chat(request), false).getJsonObject("generationConfig");
    assertEquals(200, config.getInteger("maxOutputTokens"));
    assertEquals(new JsonArray().add("END"), config.getJsonArray("stopSequences"));
    assertThrows(ProxyError.class, () -> GeminiRequestMapper.toGenerateContent(Requests.chat(simple().put("temperature", "hot")), false));
  }

  @Test
  void should_ask_for_json_and_clean_the_response_schema() {
    JsonObject request = simple().put("response_format", new JsonObject("""
        {"type":"json_schema","json_schema":{"name":"plan","strict":true,"schema":{"type":"object",
          "properties":{"steps":{"type":"array","items":{"type":"string"}}},"required":["steps"],"additionalProperties":false}}}"""));
    JsonObject config = GeminiRequestMapper.toGenerateContent(Requests.chat(request), false).getJsonObject("generationConfig");
    assertEquals("application/json", config.getString("responseMimeType"));
    assertEquals(new JsonObject("{\"type\":\"object\",\"properties\":{\"steps\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}},"
        + "\"required\":[\"steps\"]}"), config.getJsonObject("responseSchema"));
    JsonObject jsonObject = GeminiRequestMapper.toGenerateContent(Requests.chat(simple().put("response_format",
        new JsonObject().put("type", "json_object"))), false).getJsonObject("generationConfig");
    assertEquals(new JsonObject().put("responseMimeType", "application/json"), jsonObject);
  }

  @Test
  void should_turn_reasoning_effort_into_a_thinking_budget_with_thoughts() {
    assertEquals(new JsonObject().put("thinkingBudget", 8192).put("includeThoughts", true), thinking("medium"));
    assertEquals(new JsonObject().put("thinkingBudget", 24576).put("includeThoughts", true), thinking("high"));
    assertEquals(new JsonObject().put("thinkingBudget", 0), thinking("none"));
    assertThrows(ProxyError.class, () -> thinking("extreme"));
    assertNull(GeminiRequestMapper.toGenerateContent(Requests.chat(simple()), false).getValue("generationConfig"), "nothing asked, nothing sent");
  }

  private static JsonObject thinking(String effort) {
    return GeminiRequestMapper.toGenerateContent(Requests.chat(simple().put("reasoning_effort", effort)), false)
        .getJsonObject("generationConfig").getJsonObject("thinkingConfig");
  }

  @Test
  void should_put_the_documented_placeholder_on_an_unsigned_replayed_call_only_where_required() {
    JsonObject request = agentConversation();
    request.getJsonArray("messages").getJsonObject(2).getJsonArray("tool_calls").getJsonObject(0).remove("extra_content");
    JsonArray required = GeminiRequestMapper.toGenerateContent(Requests.chat(request), true).getJsonArray("contents")
        .getJsonObject(1).getJsonArray("parts");
    assertEquals(GeminiContents.SIGNATURE_PLACEHOLDER, required.getJsonObject(1).getString("thoughtSignature"));
    assertFalse(required.getJsonObject(2).containsKey("thoughtSignature"));
    JsonArray lenient = GeminiRequestMapper.toGenerateContent(Requests.chat(request), false).getJsonArray("contents")
        .getJsonObject(1).getJsonArray("parts");
    assertFalse(lenient.getJsonObject(1).containsKey("thoughtSignature"));
    JsonArray signed = GeminiRequestMapper.toGenerateContent(Requests.chat(agentConversation()), true).getJsonArray("contents")
        .getJsonObject(1).getJsonArray("parts");
    assertEquals(SIGNATURE, signed.getJsonObject(1).getString("thoughtSignature"), "a real signature is never replaced");
  }

  @Test
  void should_lift_developer_messages_and_reference_http_images() {
    JsonObject request = new JsonObject("""
        {"model":"m","messages":[
          {"role":"developer","content":[{"type":"text","text":"Be brief."}]},
          {"role":"system","content":"Answer in English."},
          {"role":"user","content":[{"type":"image_url","image_url":{"url":"https://example.com/shots/a.JPG?x=1"}},
                                    {"type":"image_url","image_url":"https://example.com/raw"}]},
          {"role":"assistant","content":""},
          {"role":"user","content":"and?"}]}""");
    JsonObject body = GeminiRequestMapper.toGenerateContent(Requests.chat(request), false);
    assertEquals(2, body.getJsonObject("systemInstruction").getJsonArray("parts").size());
    JsonArray contents = body.getJsonArray("contents");
    assertEquals(1, contents.size(), "the empty assistant turn is left out and the user turns merge: " + contents.encode());
    JsonArray parts = contents.getJsonObject(0).getJsonArray("parts");
    assertEquals(new JsonObject().put("mimeType", "image/jpeg").put("fileUri", "https://example.com/shots/a.JPG?x=1"),
        parts.getJsonObject(0).getJsonObject("fileData"));
    assertEquals(new JsonObject().put("fileUri", "https://example.com/raw"), parts.getJsonObject(1).getJsonObject("fileData"));
    assertEquals("and?", parts.getJsonObject(2).getString("text"));
  }

  @Test
  void should_reject_what_gemini_cannot_be_told() {
    JsonObject orphan = new JsonObject("""
        {"model":"m","messages":[{"role":"user","content":"hi"},
          {"role":"tool","tool_call_id":"call_unknown","content":"42"}]}""");
    ProxyError error = assertThrows(ProxyError.class, () -> GeminiRequestMapper.toGenerateContent(Requests.chat(orphan), false));
    assertEquals(400, error.status());
    assertTrue(error.getMessage().contains("call_unknown"), error.getMessage());
    JsonObject audio = new JsonObject("""
        {"model":"m","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AA==","format":"wav"}}]}]}""");
    assertThrows(ProxyError.class, () -> GeminiRequestMapper.toGenerateContent(Requests.chat(audio), false));
    JsonObject badImage = new JsonObject("""
        {"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png,raw"}}]}]}""");
    assertThrows(ProxyError.class, () -> GeminiRequestMapper.toGenerateContent(Requests.chat(badImage), false));
  }

  @Test
  void should_reproduce_the_recorded_contents_of_a_function_response_turn() {
    // The OpenAI form of the conversation that produced generatecontent-text-after-function-response.json.
    JsonObject request = new JsonObject("""
        {"model":"m","messages":[
          {"role":"user","content":"What is the weather like in Boston?"},
          {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
            "function":{"name":"get_current_weather","arguments":"{\\"location\\":\\"Boston, MA\\"}"}}]},
          {"role":"tool","tool_call_id":"call_1","content":"{\\"result\\":\\"rainy\\"}"}]}""");
    JsonObject recorded = new JsonObject(Fixtures.text("gemini/generatecontent-text-after-function-response.request.json"));
    assertEquals(recorded.getJsonArray("contents"), GeminiRequestMapper.toGenerateContent(Requests.chat(request), false).getJsonArray("contents"));
  }

  private static JsonObject simple() {
    return new JsonObject("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
  }
}
