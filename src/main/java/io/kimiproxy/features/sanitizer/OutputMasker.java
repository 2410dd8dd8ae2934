package io.kimiproxy.features.sanitizer;

import io.kimiproxy.core.util.ContentHash;

/**
 * The marker that stands in for a masked output: a header with the original's size and its
 * reference, the first lines as a preview (cut at a line boundary), and how much was left out.
 * The same output always gives the same marker, so a history that is resent every turn keeps a
 * stable prefix for the provider's prompt cache.
 */
final class OutputMasker {
  static final String REFERENCE = "kp:mask/";
  private static final int HASH_CHARS = 24;

  private OutputMasker() {}

  /** The reference hash of an output (after redaction). */
  static String hash(String original) {
    return ContentHash.sha256Hex(original).substring(0, HASH_CHARS);
  }

  static String marker(String original, String hash, int tokens, int previewLength) {
    String preview = preview(original, previewLength);
    int lines = lineCount(original);
    int hidden = lines - lineCount(preview);
    StringBuilder out = new StringBuilder(preview.length() + 200)
        .append("[kimi-proxy masked this output: ").append(tokens).append(" tokens, ").append(lines)
        .append(lines == 1 ? " line" : " lines").append("; original at ").append(REFERENCE).append(hash).append("]\n");
    if (!preview.isEmpty()) out.append(preview).append('\n');
    return out.append("[… ").append(hidden > 0 ? hidden + " more lines" : "the rest").append(" masked]").toString();
  }

  /**
   * At most {@code length} characters, ending at the last line break inside them; a first line
   * longer than that is cut where the limit falls.
   */
  static String preview(String text, int length) {
    if (text.length() <= length) return text.stripTrailing();
    int cut = text.lastIndexOf('\n', length);
    return (cut > 0 ? text.substring(0, cut) : text.substring(0, length)).stripTrailing();
  }

  private static int lineCount(String text) {
    if (text.isEmpty()) return 0;
    int lines = 1;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n' && i < text.length() - 1) lines++;
    }
    return lines;
  }
}
