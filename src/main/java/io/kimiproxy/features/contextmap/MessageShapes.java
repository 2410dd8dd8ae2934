package io.kimiproxy.features.contextmap;

import static io.kimiproxy.core.util.TextScan.isAsciiAlnum;
import static io.kimiproxy.core.util.TextScan.isAsciiLetter;
import static io.kimiproxy.core.util.TextScan.isSpace;
import static io.kimiproxy.core.util.TextScan.isWordChar;

/**
 * The shapes {@link PartKinds} looks for in a user message, each found in one forward pass (the
 * text is a tool result or a pasted file of any size and shape, so no backtracking expression).
 */
final class MessageShapes {
  private static final String[] FILE_TAGS = {"file_content", "file", "attached_file", "document"};
  private static final String FENCE = "```";

  private MessageShapes() {}

  /** Cline's tool result header at the start: {@code [execute_command for 'npm test'] Result:}. */
  static boolean startsWithClineToolResult(String text) {
    int i = 0;
    while (i < text.length() && isSpace(text.charAt(i))) i++;
    if (i >= text.length() || text.charAt(i) != '[') return false;
    i++;
    if (i >= text.length() || !(isAsciiLetter(text.charAt(i)) || text.charAt(i) == '_')) return false;
    while (i < text.length() && (isWordChar(text.charAt(i)) || text.charAt(i) == '-')) i++;
    if (text.startsWith(" for '", i)) {
      int quote = i + 6;
      while (quote < text.length() && text.charAt(quote) != '\'' && text.charAt(quote) != '\n') quote++;
      if (quote >= text.length() || text.charAt(quote) != '\'') return false;
      i = quote + 1;
    }
    return text.startsWith("] Result:", i);
  }

  /** A {@code <file_content>}, {@code <file ...>}, {@code <attached_file>} or {@code <document>} tag. */
  static boolean hasFileTag(String text) {
    for (int lt = text.indexOf('<'); lt >= 0; lt = text.indexOf('<', lt + 1)) {
      for (String tag : FILE_TAGS) {
        int after = lt + 1 + tag.length();
        if (text.startsWith(tag, lt + 1) && after < text.length() && (isSpace(text.charAt(after)) || text.charAt(after) == '>')) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * A fenced block of several lines: a {@code ```} with another {@code ```} at least five lines
   * further down, which holds when the last fence is five lines below the first.
   */
  static boolean hasFencedBlock(String text) {
    int first = text.indexOf(FENCE);
    if (first < 0) return false;
    int last = text.lastIndexOf(FENCE);
    int lines = 0;
    for (int i = first; i < last; i++) {
      if (text.charAt(i) == '\n' && ++lines >= 5) return true;
    }
    return false;
  }

  /**
   * A line that is a file name or path ({@code src/App.java}, {@code File: a.py:}, {@code # b.ts})
   * followed by at least four more lines.
   */
  static boolean hasPathWithContent(String text) {
    int totalNewlines = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') totalNewlines++;
    }
    int newlinesBefore = 0;
    for (int start = 0; start < text.length(); start++) {
      if (start > 0) {
        char before = text.charAt(start - 1);
        if (before == '\n') newlinesBefore++;
        if (!isLineStart(text, start)) continue;
      }
      int newline = pathLineEnd(text, start);
      // The path line's own newline is newlinesBefore + 1; four more must follow it.
      if (newline >= 0 && totalNewlines - (newlinesBefore + 1) >= 4) return true;
    }
    return false;
  }

  /** Where a line starts for a multiline {@code ^}: after a line terminator, not inside \r\n, not at the end. */
  private static boolean isLineStart(String text, int i) {
    char before = text.charAt(i - 1);
    boolean terminator = before == '\n' || before == '\r' || before == '\u0085' || before == '\u2028' || before == '\u2029';
    return terminator && !(before == '\r' && text.charAt(i) == '\n');
  }

  /** The newline ending a path line starting at {@code start}, or -1 when the line is not one. */
  private static int pathLineEnd(String text, int start) {
    int i = start;
    if (text.startsWith("File: ", i) || text.startsWith("Path: ", i)) {
      i += 6;
    } else if (text.startsWith("# ", i)) {
      i += 2;
    }
    int end = i;
    int lastDot = -1;
    while (end < text.length() && isPathChar(text.charAt(end))) {
      if (text.charAt(end) == '.') lastDot = end;
      end++;
    }
    if (lastDot <= i || end - lastDot - 1 < 1 || end - lastDot - 1 > 8) return -1;
    char beforeDot = text.charAt(lastDot - 1);
    if (!(isWordChar(beforeDot) || beforeDot == '-')) return -1;
    for (int k = lastDot + 1; k < end; k++) {
      if (!isAsciiAlnum(text.charAt(k))) return -1;
    }
    int k = end;
    if (k < text.length() && text.charAt(k) == ':') k++;
    while (k < text.length() && (text.charAt(k) == ' ' || text.charAt(k) == '\t')) k++;
    return k < text.length() && text.charAt(k) == '\n' ? k : -1;
  }

  private static boolean isPathChar(char c) {
    return isWordChar(c) || c == '.' || c == '@' || c == '/' || c == '\\' || c == '-';
  }
}
