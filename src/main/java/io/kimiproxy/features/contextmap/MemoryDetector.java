package io.kimiproxy.features.contextmap;

import io.kimiproxy.core.model.Message;
import io.kimiproxy.core.model.Role;
import io.kimiproxy.core.model.ToolCall;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Finds what MCP memory servers put into a prompt: inline blocks ({@code <mcp-memory>…</mcp-memory>},
 * {@code [MEMORY]…[/MEMORY]}, {@code @memory[…]}) and whole results of memory tools ({@code memory},
 * {@code read_memory}, {@code mcp__memory__*}, or a Cline MCP call to a server named like memory).
 * Messages are read in linear passes ({@link MemoryBlocks}).
 */
public final class MemoryDetector {
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
      long[] inline = {0};
      MemoryBlocks.forEach(text, block -> inline[0] += countText.applyAsInt(block));
      tokens += Math.min(inline[0], perMessage[i]);
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
    return message.role() == Role.USER && MemoryBlocks.startsWithClineMemoryResult(message.text());
  }
}
