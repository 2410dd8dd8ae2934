package io.kimiproxy.features.contextmap;

import static io.kimiproxy.core.util.TextScan.isSpace;
import static io.kimiproxy.core.util.TextScan.regionMatchesAsciiIgnoreCase;

import java.util.function.Consumer;

/**
 * Memory an MCP server put inline into a message: {@code <mcp-memory>…</mcp-memory>},
 * {@code [MEMORY]…[/MEMORY]} and {@code @memory[…]}, each up to its first closing mark. One
 * forward pass: the closing mark found for an opening is kept for the next opening, and a kind
 * whose closing mark is missing is not looked for again.
 */
final class MemoryBlocks {
  private static final String[][] MARKS = {{"<mcp-memory>", "</mcp-memory>"}, {"[MEMORY]", "[/MEMORY]"}, {"@memory[", "]"}};

  private MemoryBlocks() {}

  /** Hands each block, in order and without overlap, to {@code block}. */
  static void forEach(String text, Consumer<String> block) {
    int kinds = MARKS.length;
    int[] open = new int[kinds];
    int[] close = new int[kinds];
    java.util.Arrays.fill(close, -1);
    int from = 0;
    while (from < text.length()) {
      int first = -1;
      for (int k = 0; k < kinds; k++) {
        if (open[k] < 0) continue;
        if (open[k] < from || close[k] < 0) {
          open[k] = text.indexOf(MARKS[k][0], Math.max(from, open[k]));
          if (open[k] < 0) continue;
          int body = open[k] + MARKS[k][0].length();
          if (close[k] < body) close[k] = text.indexOf(MARKS[k][1], body);
          if (close[k] < 0) {
            open[k] = -1; // no closing mark after this opening, so none after any later one
            continue;
          }
        }
        if (first < 0 || open[k] < open[first]) first = k;
      }
      if (first < 0) return;
      int end = close[first] + MARKS[first][1].length();
      block.accept(text.substring(open[first], end));
      from = end;
    }
  }

  /** A Cline MCP call to a memory server: {@code [use_mcp_tool for 'memory-server'] Result:} at the start. */
  static boolean startsWithClineMemoryResult(String text) {
    int i = 0;
    while (i < text.length() && isSpace(text.charAt(i))) i++;
    if (i >= text.length() || text.charAt(i) != '[') return false;
    i++;
    if (regionMatchesAsciiIgnoreCase(text, i, "use_mcp_tool")) {
      i += "use_mcp_tool".length();
    } else if (regionMatchesAsciiIgnoreCase(text, i, "access_mcp_resource")) {
      i += "access_mcp_resource".length();
    } else {
      return false;
    }
    if (!regionMatchesAsciiIgnoreCase(text, i, " for '")) return false;
    int name = i + 6;
    int quote = name;
    while (quote < text.length() && text.charAt(quote) != '\'' && text.charAt(quote) != '\n') quote++;
    if (quote >= text.length() || text.charAt(quote) != '\'') return false;
    boolean memory = false;
    for (int k = name; k + 6 <= quote && !memory; k++) memory = regionMatchesAsciiIgnoreCase(text, k, "memory");
    return memory && regionMatchesAsciiIgnoreCase(text, quote + 1, "] result:");
  }
}
