package io.kimiproxy.proxy.wire.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kimiproxy.testing.Fixtures;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnthropicResponseMapperTest {

  private static JsonObject fromFixture(String name) {
    return AnthropicResponseMapper.toChatCompletion(new JsonObject(Fixtures.text("anthropic/" + name)), 1_700_000_000L);
  }

  @Test
  void should_shape_text_and_tool_use_blocks_as_a_chat_completion_with_tool_calls() {
    JsonObject completion = fromFixture("nonstream-text-and-two-tool-use.json");
    assertEquals(new JsonObject("""
        {"id":"msg_01RBkXFe9TmDNNWThMz2HmGt","object":"chat.completion","created":1700000000,
         "model":"claude-3-5-sonnet-20240620",
         "choices":[{"index":0,"message":{"role":"assistant",
           "content":"Certainly! I'd be happy to help you with both the current weather in New York and the current time there. Let's use the available tools to get this information for you.",
           "tool_calls":[
             {"id":"toolu_012r6TBCWjRHG71j6zruYyUL","type":"function",
              "function":{"name":"get_weather","arguments":"{\\"location\\":\\"New York, NY\\",\\"unit\\":\\"fahrenheit\\"}"}},
             {"id":"toolu_01SkeBKkLCNYWNuivqFerGDd","type":"function",
              "function":{"name":"get_time","arguments":"{\\"timezone\\":\\"America/New_York\\"}"}}]},
           "logprobs":null,"finish_reason":"tool_calls"}],
         "usage":{"prompt_tokens":514,"completion_tokens":152,"total_tokens":666,
           "prompt_tokens_details":{"cached_tokens":0,"cache_creation_tokens":0}}}"""), completion);
  }

  @Test
  void should_return_thinking_as_reasoning_content_and_keep_the_signed_block() {
    JsonObject source = new JsonObject(Fixtures.text("anthropic/nonstream-thinking-signature-text.json"));
    JsonObject thinking = source.getJsonArray("content").getJsonObject(0);
    JsonObject message = fromFixture("nonstream-thinking-signature-text.json").getJsonArray("choices").getJsonObject(0).getJsonObject("message");
    assertEquals("The letter 'r' appears 3 times in the word \"strawberry\".", message.getString("content"));
    assertEquals(thinking.getString("thinking"), message.getString("reasoning_content"));
    assertEquals(new JsonArray().add(thinking), message.getJsonArray("thinking_blocks"));
    assertFalse(message.containsKey("tool_calls"));
  }

  @Test
  void should_count_cache_reads_and_writes_into_prompt_tokens_and_show_them_apart() {
    JsonObject usage = fromFixture("nonstream-cache-read-usage.json").getJsonObject("usage");
    assertEquals(new JsonObject("""
        {"prompt_tokens":1167,"completion_tokens":202,"total_tokens":1369,
         "prompt_tokens_details":{"cached_tokens":1163,"cache_creation_tokens":0}}"""), usage);
    JsonObject writes = AnthropicUsage.from(new JsonObject()
        .put("input_tokens", 10).put("cache_creation_input_tokens", 90).put("output_tokens", 5)).toOpenAi();
    assertEquals(100L, writes.getLong("prompt_tokens"));
    assertEquals(90L, writes.getJsonObject("prompt_tokens_details").getLong("cache_creation_tokens"));
  }

  @Test
  void should_give_a_tool_only_answer_null_content() {
    JsonObject message = AnthropicResponseMapper.toChatCompletion(new JsonObject("""
        {"id":"msg_1","model":"m","stop_reason":"tool_use","content":[{"type":"tool_use","id":"toolu_1","name":"now","input":{}}]}"""), 1L)
        .getJsonArray("choices").getJsonObject(0).getJsonObject("message");
    assertNull(message.getValue("content"));
    assertEquals("{}", message.getJsonArray("tool_calls").getJsonObject(0).getJsonObject("function").getString("arguments"));
  }

  @ParameterizedTest
  @CsvSource({"end_turn,stop", "stop_sequence,stop", "max_tokens,length", "tool_use,tool_calls", "refusal,content_filter",
      "pause_turn,stop", "model_context_window_exceeded,length"})
  void should_map_each_stop_reason_to_its_finish_reason(String stopReason, String finishReason) {
    assertEquals(finishReason, AnthropicResponseMapper.finishReason(stopReason));
  }
}
