package io.kimiproxy.features.contextmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kimiproxy.testing.PathologicalTexts;
import io.kimiproxy.testing.TextFuzz;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The one-pass shapes of a message agree with the expressions they replaced (kept here as the
 * reference, on small texts only: they are superlinear) and stay linear on pathological texts.
 */
class MessageShapesEquivalenceTest {
  private static final Pattern CLINE_TOOL_RESULT = Pattern.compile("^\\s*\\[([A-Za-z_][\\w-]*)(?: for '([^'\\n]*)')?\\] Result:");
  private static final Pattern FILE_TAG = Pattern.compile("<(file_content|file|attached_file|document)[\\s>]");
  private static final Pattern FENCED_BLOCK = Pattern.compile("```[^\\n]*\\n(?:[^\\n]*\\n){4,}?[^\\n]*```");
  private static final Pattern PATH_WITH_CONTENT = Pattern.compile(
      "(?m)^(?:File: |Path: |# )?[\\w.@/\\\\-]*[\\w-]+\\.[A-Za-z0-9]{1,8}:?[ \\t]*\\n(?:[^\\n]*\\n){4,}");
  private static final Pattern BLOCKS = Pattern.compile(
      "(?s)<mcp-memory>.*?</mcp-memory>|\\[MEMORY].*?\\[/MEMORY]|@memory\\[[^\\]]*]");
  private static final Pattern CLINE_MCP_MEMORY = Pattern.compile(
      "^\\s*\\[(?:use_mcp_tool|access_mcp_resource) for '[^'\\n]*memory[^'\\n]*'] Result:", Pattern.CASE_INSENSITIVE);

  private static final List<String> FRAGMENTS = List.of("```", "```java", "\n", "\n", "\n", "\r", "\r\n", "\u2028",
      "\u0085", "File: ", "Path: ", "# ", "a.java", "src/main/App.ts", "x.y.z", "README", ".md", ".verylongext", "x",
      ".", ":", " ", "\t", "-", "_", "@", "\\", "9", "é", "[read_file for 'a.txt'] Result:", "[", "]", "] Result:",
      " for '", "'", "<file>", "<file_content", "<document ", "<attached_file>", "<files>", "<", ">",
      "<mcp-memory>", "</mcp-memory>", "[MEMORY]", "[/MEMORY]", "@memory[", "[use_mcp_tool", "[ACCESS_MCP_RESOURCE",
      "memory", "MeMoRy", "] result:", "use_mcp_tool for 'my-memory'] Result:");

  @Test
  void should_classify_exactly_like_the_expressions_they_replaced() {
    TextFuzz fuzz = new TextFuzz(77L, FRAGMENTS);
    for (int i = 0; i < 30_000; i++) {
      String text = fuzz.next(i % 3 == 0 ? 40 : 12);
      assertEquals(CLINE_TOOL_RESULT.matcher(text).find(), MessageShapes.startsWithClineToolResult(text), text);
      assertEquals(FILE_TAG.matcher(text).find(), MessageShapes.hasFileTag(text), text);
      assertEquals(FENCED_BLOCK.matcher(text).find(), MessageShapes.hasFencedBlock(text), text);
      assertEquals(PATH_WITH_CONTENT.matcher(text).find(), MessageShapes.hasPathWithContent(text), text);
      assertEquals(CLINE_MCP_MEMORY.matcher(text).find(), MemoryBlocks.startsWithClineMemoryResult(text), text);
      assertEquals(blocksByExpression(text), blocks(text), text);
    }
  }

  @Test
  void should_read_pathological_texts_in_linear_time() {
    for (int size : new int[] {50_000, 1_000_000}) {
      for (Map.Entry<String, String> text : PathologicalTexts.ofSize(size).entrySet()) {
        String t = text.getValue();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
          MessageShapes.startsWithClineToolResult(t);
          MessageShapes.hasFileTag(t);
          MessageShapes.hasFencedBlock(t);
          MessageShapes.hasPathWithContent(t);
          MemoryBlocks.startsWithClineMemoryResult(t);
          blocks(t);
        }, text.getKey() + " of " + size);
      }
    }
  }

  private static List<String> blocksByExpression(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = BLOCKS.matcher(text);
    while (m.find()) out.add(m.group());
    return out;
  }

  private static List<String> blocks(String text) {
    List<String> out = new ArrayList<>();
    MemoryBlocks.forEach(text, out::add);
    return out;
  }
}
