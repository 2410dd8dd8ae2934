package io.kimiproxy.core;

import io.kimiproxy.testing.Requests;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.core.model.PromptCount;
import io.kimiproxy.core.tokens.TokenCounter;
import io.kimiproxy.testing.Fixtures;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class TokenCounterTest {
  private final TokenCounter counter = new TokenCounter(1L << 24);

  @Test
  void should_return_the_same_count_from_the_cache() {
    JsonArray messages = conversation();
    PromptCount first = counter.countPrompt("gpt-4o", Requests.messages(messages), Requests.tools(new JsonArray()));
    PromptCount again = counter.countPrompt("gpt-4o", Requests.messages(messages.copy()), Requests.tools(new JsonArray()));
    assertEquals(first.total(), again.total());
    assertArrayEquals(first.perMessage(), again.perMessage());
    assertEquals(first.total(), new TokenCounter(1L << 24).countPrompt("gpt-4o", Requests.messages(messages), Requests.tools(new JsonArray())).total(),
        "a cold counter agrees with the cached one");
  }

  @Test
  void should_not_mix_up_cached_counts_of_different_vocabularies() {
    JsonArray messages = conversation();
    int o200k = counter.countPrompt("gpt-4o", Requests.messages(messages), Requests.tools(new JsonArray())).total();
    int cl100k = counter.countPrompt("llama-3.3-70b", Requests.messages(messages), Requests.tools(new JsonArray())).total();
    assertEquals(new TokenCounter(1L << 24).countPrompt("llama-3.3-70b", Requests.messages(messages), Requests.tools(new JsonArray())).total(), cl100k);
    assertEquals(new TokenCounter(1L << 24).countPrompt("gpt-4o", Requests.messages(messages), Requests.tools(new JsonArray())).total(), o200k);
  }

  @Test
  void should_count_each_image_at_a_fixed_cost() {
    JsonObject text = new JsonObject().put("type", "text").put("text", "What is in this picture?");
    JsonObject image = new JsonObject().put("type", "image_url")
        .put("image_url", new JsonObject().put("url", "data:image/png;base64," + "A".repeat(50_000)));
    int withoutImage = counter.countPrompt("gpt-4o", Requests.messages(userParts(new JsonArray().add(text))), Requests.tools(new JsonArray())).total();
    int oneImage = counter.countPrompt("gpt-4o", Requests.messages(userParts(new JsonArray().add(text).add(image))), Requests.tools(new JsonArray())).total();
    int twoImages = counter.countPrompt("gpt-4o", Requests.messages(userParts(new JsonArray().add(text).add(image).add(image.copy()))), Requests.tools(new JsonArray())).total();
    assertEquals(TokenCounter.IMAGE_TOKENS, oneImage - withoutImage, "the image data itself is not tokenized");
    assertEquals(2 * TokenCounter.IMAGE_TOKENS, twoImages - withoutImage);
  }

  @Test
  void should_count_tool_definitions() {
    JsonArray tools = new JsonObject(Fixtures.text("openai/chat-stream-parallel-tool-calls-include-usage.request.json"))
        .getJsonArray("tools");
    PromptCount without = counter.countPrompt("gpt-4o", Requests.messages(conversation()), Requests.tools(new JsonArray()));
    PromptCount with = counter.countPrompt("gpt-4o", Requests.messages(conversation()), Requests.tools(tools));
    assertTrue(with.tools() > 20, "a tool with a JSON schema costs tokens: " + with.tools());
    assertEquals(without.total() + with.tools(), with.total());
    assertEquals(0, without.tools());
  }

  @Test
  void should_count_tool_call_arguments_of_assistant_messages() {
    JsonObject call = new JsonObject().put("id", "call_1").put("type", "function").put("function",
        new JsonObject().put("name", "read_file").put("arguments", "{\"path\":\"src/main/java/App.java\"}"));
    JsonArray plain = new JsonArray().add(new JsonObject().put("role", "assistant").put("content", ""));
    JsonArray withCall = new JsonArray().add(new JsonObject().put("role", "assistant").put("content", "")
        .put("tool_calls", new JsonArray().add(call)));
    assertTrue(counter.countPrompt("gpt-4o", Requests.messages(withCall), Requests.tools(new JsonArray())).total()
        > counter.countPrompt("gpt-4o", Requests.messages(plain), Requests.tools(new JsonArray())).total() + 10);
  }

  @Test
  void should_count_plain_text_and_nothing_for_empty_text() {
    assertEquals(0, counter.countText("gpt-4o", ""));
    assertEquals(0, counter.countText("gpt-4o", null));
    assertTrue(counter.countText("gpt-4o", "Hello there, how are you today?") >= 7);
  }

  private static JsonArray conversation() {
    return new JsonArray()
        .add(new JsonObject().put("role", "system").put("content", "You are a careful coding assistant."))
        .add(new JsonObject().put("role", "user").put("content", "Refactor this method to use streams."));
  }

  private static JsonArray userParts(JsonArray parts) {
    return new JsonArray().add(new JsonObject().put("role", "user").put("content", parts));
  }
}
