package io.kimiproxy.core.tokens;

import io.kimiproxy.testing.Requests;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kimiproxy.core.model.PromptCount;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class TokenCounterTest {
  private static final String MODEL = "gpt-4o";
  private final TokenCounter counter = new TokenCounter(1L << 24);

  private static JsonObject user(Object content) {
    return new JsonObject().put("role", "user").put("content", content);
  }

  @Test
  void should_count_framing_content_and_reply_priming() {
    PromptCount count = counter.countPrompt(MODEL, Requests.messages(new JsonArray().add(user("What is 4200 + 42?"))), Requests.tools(new JsonArray()));
    int text = counter.countText(MODEL, "What is 4200 + 42?");
    int role = counter.countText(MODEL, "user");
    assertEquals(TokenCounter.PER_MESSAGE + role + text, count.perMessage()[0]);
    assertEquals(count.perMessage()[0] + TokenCounter.REPLY_PRIMING, count.total());
  }

  @Test
  void should_count_each_image_at_a_fixed_cost() {
    JsonArray parts = new JsonArray()
        .add(new JsonObject().put("type", "text").put("text", "What is on these?"))
        .add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", "data:image/png;base64,AAAA")))
        .add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", "https://example.com/a.png")));
    int withImages = counter.countPrompt(MODEL, Requests.messages(new JsonArray().add(user(parts))), Requests.tools(new JsonArray())).perMessage()[0];
    int textOnly = counter.countPrompt(MODEL, Requests.messages(new JsonArray().add(user("What is on these?"))), Requests.tools(new JsonArray())).perMessage()[0];
    assertEquals(textOnly + 2 * TokenCounter.IMAGE_TOKENS, withImages);
  }

  @Test
  void should_count_tool_call_names_and_arguments() {
    String arguments = "{\"path\":\"src/main/java/App.java\",\"start_line\":1,\"end_line\":400}";
    JsonObject call = new JsonObject().put("role", "assistant").putNull("content").put("tool_calls", new JsonArray()
        .add(new JsonObject().put("id", "call_1").put("type", "function")
            .put("function", new JsonObject().put("name", "read_file").put("arguments", arguments))));
    int tokens = counter.countPrompt(MODEL, Requests.messages(new JsonArray().add(call)), Requests.tools(new JsonArray())).perMessage()[0];
    int expected = TokenCounter.PER_MESSAGE + counter.countText(MODEL, "assistant")
        + TokenCounter.PER_MESSAGE + counter.countText(MODEL, "read_file") + counter.countText(MODEL, arguments);
    assertEquals(expected, tokens);
  }

  @Test
  void should_count_tool_definitions_apart_from_messages() {
    JsonArray messages = new JsonArray().add(user("hi"));
    JsonArray tools = new JsonArray().add(new JsonObject().put("type", "function").put("function", new JsonObject()
        .put("name", "execute_command").put("description", "Run a shell command.")
        .put("parameters", new JsonObject().put("type", "object").put("properties", new JsonObject()
            .put("command", new JsonObject().put("type", "string").put("description", "The command"))
            .put("mode", new JsonObject().put("type", "string").put("enum", new JsonArray().add("fast").add("safe")))))));
    PromptCount without = counter.countPrompt(MODEL, Requests.messages(messages), Requests.tools(new JsonArray()));
    PromptCount with = counter.countPrompt(MODEL, Requests.messages(messages), Requests.tools(tools));
    assertEquals(with.total() - without.total(), with.tools());
    // 7 to open the function, its "name:description", 3 for the properties, 3 + "command:string:The command",
    // 3 + "mode:string:" with -3 + 2 x (3 + item) for the enum, 12 to close the namespace.
    int expected = 7 + counter.countText(MODEL, "execute_command:Run a shell command") + 3
        + 3 + counter.countText(MODEL, "command:string:The command")
        + 3 - 3 + 3 + counter.countText(MODEL, "fast") + 3 + counter.countText(MODEL, "safe")
        + counter.countText(MODEL, "mode:string:") + 12;
    assertEquals(expected, with.tools());
  }

  @Test
  void should_give_the_same_counts_from_the_cache_as_counted_cold() {
    JsonArray history = new JsonArray();
    for (int i = 0; i < 50; i++) history.add(user("message number " + i + " with some words in it"));
    PromptCount cold = new TokenCounter(1L << 24).countPrompt(MODEL, Requests.messages(history), Requests.tools(new JsonArray()));
    counter.countPrompt(MODEL, Requests.messages(history), Requests.tools(new JsonArray()));
    PromptCount warm = counter.countPrompt(MODEL, Requests.messages(history), Requests.tools(new JsonArray()));
    assertArrayEquals(cold.perMessage(), warm.perMessage());
    assertEquals(cold.total(), warm.total());
  }
}
