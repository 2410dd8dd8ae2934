package io.kimiproxy.features.contextmap;

import io.kimiproxy.testing.Requests;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kimiproxy.core.model.PromptCount;
import io.kimiproxy.core.tokens.TokenCounter;
import io.kimiproxy.testing.Sessions;
import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.Test;

class MemoryDetectorTest {
  private static final String MODEL = "test/model";
  private final TokenCounter counter = new TokenCounter(1L << 24);

  private long memory(JsonArray messages, PromptCount count) {
    return MemoryDetector.memoryTokens(Requests.messages(messages), count.perMessage(), text -> counter.countText(MODEL, text));
  }

  @Test
  void should_count_memory_tool_results_and_inline_blocks() {
    JsonArray messages = Sessions.messages(Sessions.CONTINUE);
    PromptCount count = counter.countPrompt(MODEL, Requests.messages(messages), Requests.tools(Sessions.tools(Sessions.CONTINUE)));
    // messages[3] answers the mcp__memory__read_graph call; [MEMORY] and @memory[...] are inline.
    long expected = count.perMessage()[3]
        + counter.countText(MODEL, "[MEMORY]The user prefers minimal diffs.[/MEMORY]")
        + counter.countText(MODEL, "@memory[remember: tool pairs must stay together]");
    assertEquals(expected, memory(messages, count));
  }

  @Test
  void should_count_an_mcp_memory_block_in_the_system_prompt() {
    JsonArray messages = Sessions.messages(Sessions.CLINE);
    String system = messages.getJsonObject(0).getString("content");
    String block = system.substring(system.indexOf("<mcp-memory>"), system.indexOf("</mcp-memory>") + "</mcp-memory>".length());
    assertEquals(counter.countText(MODEL, block), memory(messages, counter.countPrompt(MODEL, Requests.messages(messages), Requests.tools(new JsonArray()))));
  }

  @Test
  void should_know_memory_tools_by_name() {
    assertEquals(true, MemoryDetector.isMemoryTool("mcp__memory__search_nodes"));
    assertEquals(true, MemoryDetector.isMemoryTool("read_memory"));
    assertEquals(false, MemoryDetector.isMemoryTool("read_file"));
  }
}
