package io.kimiproxy.features.contextmap;

import java.util.List;
import io.kimiproxy.core.model.ToolCall;
import io.kimiproxy.core.model.Role;
import io.kimiproxy.core.model.Message;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds what MCP memory servers put into a prompt: inline blocks ({@code <mcp-memory>…</mcp-memory>},
 * {@code [MEMORY]…[/MEMORY]}, {@code @memory[…]}) and whole results of memory tools ({@code memory},
 * {@code read_memory}, {@code mcp__memory__*}, or a Cline MCP call to a server named like memory).
 */
public final class MemoryDetector {
  private static final Pattern BLOCKS = Pattern.compile(
      "(?s)<mcp-memory>.*?</mcp-memory>|\\[MEMORY].*?\\[/MEMORY]|@memory\\[[^\\]]*]");
  private static final Pattern CLINE_MCP_MEMORY = Pattern.compile(
      "^\\s*\\[(?:use_mcp_tool|access_mcp_resource) for '[^'\\n]*memory[^'\\n]*'] Result:", Pattern.CASE_INSENSITIVE);

  private MemoryDetector() {}

  /**
   * Memory tokens of a prompt.
   *
   * @param perMessage each message's tokens, as counted for the prompt
   * @param countText  tokens of a piece of text, for inline blocks
   */
  public static long memoryTokens(List<Message> messages, int[] perMessage, ToIntFunction<String> countText) {
    Set<String> memoryCalls = new HashSet<>();
    long tokens = 0;
    for (int i = 0; i < messages.size(); i++) {
      Message message = messages.get(i);
      collectMemoryCalls(message, memoryCalls);
      if (isMemoryResult(message, memoryCalls)) {
        tokens += perMessage[i];
        continue;
      }
      String text = message.text();
      if (text.indexOf("memory") < 0 && text.indexOf("MEMORY") < 0) continue;
      Matcher blocks = BLOCKS.matcher(text);
      long inline = 0;
      while (blocks.find()) inline += countText.applyAsInt(blocks.group());
      tokens += Math.min(inline, perMessage[i]);
    }
    return tokens;
  }

  public static boolean isMemoryTool(String name) {
    String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
    return n.equals("memory") || n.equals("read_memory") || n.startsWith("mcp__memory__");
  }

  private static void collectMemoryCalls(Message message, Set<String> ids) {
    for (ToolCall call : message.toolCalls()) {
      if (isMemoryTool(call.name()) && call.id() != null) ids.add(call.id());
    }
  }

  private static boolean isMemoryResult(Message message, Set<String> memoryCalls) {
    if (message.role() == Role.TOOL) {
      return message.toolCallId() != null ? memoryCalls.contains(message.toolCallId()) : isMemoryTool(message.name());
    }
    return message.role() == Role.USER && CLINE_MCP_MEMORY.matcher(message.text()).find();
  }
}
