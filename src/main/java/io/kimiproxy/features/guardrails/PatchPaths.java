package io.kimiproxy.features.guardrails;

import static io.kimiproxy.core.util.TextScan.isLineTerminator;
import static io.kimiproxy.core.util.TextScan.isSpace;

import java.util.List;
import java.util.function.Consumer;

/**
 * The file paths a patch names, line by line: {@code *** Add File: a.py}, {@code *** Update File:},
 * {@code *** Delete File:}, {@code *** Move to:}, {@code +++ b/a.py} and {@code --- a/a.py}, each
 * path being the rest of its line without trailing blanks. One pass over the patch (a model's
 * argument, any size), no backtracking.
 */
final class PatchPaths {
  private static final List<String> HEADERS = List.of("*** Add File: ", "*** Update File: ", "*** Delete File: ",
      "*** Move to: ");

  private PatchPaths() {}

  static void forEach(String patch, Consumer<String> path) {
    int skipUntil = 0;
    for (int start = 0; start < patch.length(); start++) {
      if (start < skipUntil || (start > 0 && !isLineStart(patch, start))) continue;
      int from = pathStart(patch, start);
      if (from < 0) continue;
      int lineEnd = from + 1;
      while (lineEnd < patch.length() && !isLineTerminator(patch.charAt(lineEnd))) lineEnd++;
      int end = lineEnd;
      while (end > from + 1 && isSpace(patch.charAt(end - 1))) end--;
      path.accept(patch.substring(from, end));
      skipUntil = lineEnd;
    }
  }

  /** Where the path of a header line starting at {@code start} begins, or -1 if the line is none. */
  private static int pathStart(String patch, int start) {
    for (String header : HEADERS) {
      if (patch.startsWith(header, start)) return startsPath(patch, start + header.length()) ? start + header.length() : -1;
    }
    String side = patch.startsWith("+++ ", start) ? "b/" : patch.startsWith("--- ", start) ? "a/" : null;
    if (side == null) return -1;
    int from = start + 4;
    if (patch.startsWith(side, from) && startsPath(patch, from + 2)) return from + 2;
    return startsPath(patch, from) ? from : -1;
  }

  private static boolean startsPath(String patch, int i) {
    return i < patch.length() && !isSpace(patch.charAt(i));
  }

  /** A line start as a multiline {@code ^} sees it: after a terminator, not inside \r\n. */
  private static boolean isLineStart(String text, int i) {
    char before = text.charAt(i - 1);
    return isLineTerminator(before) && !(before == '\r' && text.charAt(i) == '\n');
  }
}
