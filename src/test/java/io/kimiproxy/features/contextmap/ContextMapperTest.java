package io.kimiproxy.features.contextmap;

import io.kimiproxy.core.model.Message;
import io.kimiproxy.testing.Requests;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.config.ContextConfig;
import io.kimiproxy.core.model.Phase;
import io.kimiproxy.core.model.PromptCount;
import io.kimiproxy.core.tokens.TokenCounter;
import io.kimiproxy.testing.Sessions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ContextMapperTest {
  private static final String MODEL = "test/model";
  private final TokenCounter counter = new TokenCounter(1L << 24);

  private ContextMap map(ContextConfig config, JsonArray messages, JsonArray tools) {
    PromptCount count = counter.countPrompt(MODEL, Requests.messages(messages), Requests.tools(tools));
    return new ContextMapper(config).map(new ContextMapper.Request("s-1", "r-1", 42L, MODEL, 100_000, 4_096,
        Requests.messages(messages), Requests.tools(tools).definitions(), count, Phase.EXPANSION), 0);
  }

  @Test
  void should_map_a_cline_session_part_by_part() {
    JsonArray messages = Sessions.messages(Sessions.CLINE);
    ContextMap map = map(ContextConfig.DEFAULTS, messages, new JsonArray());
    PromptCount count = counter.countPrompt(MODEL, Requests.messages(messages), Requests.tools(new JsonArray()));
    assertEquals(messages.size(), map.parts().size());
    assertEquals(count.total(), map.promptTokens());
    assertEquals(count.total() / 100_000.0, map.fill(), 1e-12);
    for (ContextPart part : map.parts()) {
      assertEquals(count.perMessage()[part.index()], part.tokens());
      assertTrue(part.preview().length() <= ContextMapper.PREVIEW_CHARS);
    }
    assertEquals("system", map.parts().get(0).kind());
    assertEquals("user_text", map.parts().get(1).kind(), "the task with environment details is the user's own text");
    assertEquals("assistant", map.parts().get(2).kind());
    assertEquals("tool_output", map.parts().get(3).kind(), "[read_file for '...'] Result: is a tool result");
    assertTrue(map.parts().get(3).preview().startsWith("[read_file for 'src/main/java/io/kimiproxy/proxy/stream/StreamRelay.java'] Result:"));
    ContextPart groqDump = map.parts().get(9);
    assertEquals("tool_output", groqDump.kind());
    assertEquals("too_long", groqDump.flag(), groqDump.tokens() + " tokens");
    assertEquals("user_text", map.parts().get(messages.size() - 1).kind());
  }

  @Test
  void should_flag_parts_against_the_configured_thresholds() {
    ContextMap map = map(new ContextConfig(1_000, 3_000, 0.6, 0.5), Sessions.messages(Sessions.CLINE), new JsonArray());
    for (ContextPart part : map.parts()) {
      String expected = part.tokens() > 3_000 ? "too_long" : part.tokens() > 1_000 ? "long" : "ok";
      assertEquals(expected, part.flag(), "part " + part.index() + " of " + part.tokens() + " tokens");
    }
    assertTrue(map.parts().stream().anyMatch(p -> p.flag().equals("long")));
    assertTrue(map.parts().stream().anyMatch(p -> p.flag().equals("ok")));
  }

  @Test
  void should_put_tool_definitions_after_the_system_prompt_and_spot_attachments() {
    JsonArray messages = Sessions.messages(Sessions.CONTINUE);
    JsonArray tools = Sessions.tools(Sessions.CONTINUE);
    ContextMap map = map(ContextConfig.DEFAULTS, messages, tools);
    assertEquals(messages.size() + 1, map.parts().size());
    assertEquals("system", map.parts().get(0).kind());
    ContextPart definitions = map.parts().get(1);
    assertEquals(-1, definitions.index());
    assertEquals("tool_definitions", definitions.kind());
    assertEquals(counter.countPrompt(MODEL, Requests.messages(messages), Requests.tools(tools)).tools(), definitions.tokens());
    assertTrue(definitions.preview().startsWith("4 tools: read_file, run_terminal_command"), definitions.preview());
    assertEquals("attachment", map.parts().get(2).kind(), "the first user message carries a fenced file");
    assertEquals("assistant", map.parts().get(3).kind());
    assertTrue(map.parts().get(3).preview().startsWith("mcp__memory__read_graph({})"), map.parts().get(3).preview());
    assertEquals("tool_output", map.parts().get(4).kind());
  }

  @Test
  void should_tell_attachments_from_plain_user_text() {
    assertEquals("attachment", PartKinds.of(user("Look at this:\n<file_content path=\"src/app.ts\">\nexport const x = 1;\n</file_content>")));
    assertEquals("attachment", PartKinds.of(user("src/main/App.java\npackage app;\n\nclass App {\n  int x;\n}\n")));
    assertEquals("user_text", PartKinds.of(user("Please fix README.md\nand also the typo.")));
    assertEquals("user_text", PartKinds.of(user("Run ```npm test``` please")));
    assertEquals("tool_output", PartKinds.of(user("[execute_command for 'npm test'] Result:\nCommand executed.")));
  }

  private static Message user(String text) {
    return Requests.message(new JsonObject().put("role", "user").put("content", text));
  }
}
