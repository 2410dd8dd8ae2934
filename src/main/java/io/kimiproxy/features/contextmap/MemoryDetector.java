package io.kimiproxy.features.contextmap;

import io.kimiproxy.core.model.MessageContent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
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
  public static long memoryTokens(JsonArray messages, int[] perMessage, ToIntFunction<String> countText) {
    Set<String> memoryCalls = new HashSet<>();
    long tokens = 0;
    for (int i = 0; i < messages.size(); i++) {
      JsonObject message = messages.getJsonObject(i);
      collectMemoryCalls(message, memoryCalls);
      if (isMemoryResult(message, memoryCalls)) {
        tokens += perMessage[i];
        continue;
      }
      String text = MessageContent.text(message.getValue("content"));
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

  private static void collectMemoryCalls(JsonObject message, Set<String> ids) {
    if (!(message.getValue("tool_calls") instanceof JsonArray calls)) return;
    for (Object c : calls) {
      if (c instanceof JsonObject call && call.getValue("function") instanceof JsonObject fn
          && isMemoryTool(fn.getString("name")) && call.getValue("id") instanceof String id) {
        ids.add(id);
      }
    }
  }

  private static boolean isMemoryResult(JsonObject message, Set<String> memoryCalls) {
    String role = message.getString("role", "");
    if (role.equals("tool")) return memoryCalls.contains(message.getString("tool_call_id", ""));
    if (role.equals("function")) return isMemoryTool(message.getString("name"));
    return role.equals("user") && MemoryBlocks.startsWithClineMemoryResult(MessageContent.text(message.getValue("content")));
  }
}
