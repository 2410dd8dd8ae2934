package io.kimiproxy.core.util;

/**
 * Character tests for the one-pass scanners that read message content. They reproduce what the
 * classes of {@code java.util.regex} mean ({@code \s}, {@code \w}, {@code \b}, ASCII-only
 * case-insensitivity), so a scanner that replaces a regular expression finds exactly what it found.
 */
public final class TextScan {
  /**
   * How far {@link #wordBefore} looks back over combining marks for their base character. Java's
   * {@code \b} looks back without limit; a run this long of marks is not text anyone writes.
   */
  private static final int MARK_LOOK_BACK = 64;

  private TextScan() {}

  /** {@code \s} of java.util.regex: space, tab, newline, vertical tab, form feed, carriage return. */
  public static boolean isSpace(char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
  }

  /** {@code \w} of java.util.regex: ASCII letters, digits and underscore. */
  public static boolean isWordChar(char c) {
    return c < 128 && (c == '_' || Character.isLetterOrDigit(c));
  }

  public static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  public static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  public static boolean isAsciiAlnum(char c) {
    return isAsciiLetter(c) || isAsciiDigit(c);
  }

  /** A line terminator as {@code .} and {@code $} of java.util.regex see it. */
  public static boolean isLineTerminator(char c) {
    return c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
  }

  /** Whether {@code lowerLiteral} (lower case ASCII) is at {@code at}, ignoring ASCII case only. */
  public static boolean regionMatchesAsciiIgnoreCase(CharSequence text, int at, String lowerLiteral) {
    if (at < 0 || at + lowerLiteral.length() > text.length()) return false;
    for (int i = 0; i < lowerLiteral.length(); i++) {
      if (toLowerAscii(text.charAt(at + i)) != lowerLiteral.charAt(i)) return false;
    }
    return true;
  }

  public static char toLowerAscii(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
  }

  /** Whether a word character (for {@code \b}) ends right before {@code i}. */
  public static boolean wordBefore(CharSequence text, int i) {
    if (i <= 0) return false;
    int cp = Character.codePointBefore(text, i);
    if (isBoundaryWord(cp)) return true;
    return Character.getType(cp) == Character.NON_SPACING_MARK && hasBaseCharacter(text, i - 1);
  }

  /** Whether a word character (for {@code \b}) starts at {@code i}. */
  public static boolean wordAt(CharSequence text, int i) {
    if (i >= text.length()) return false;
    int cp = Character.codePointAt(text, i);
    if (isBoundaryWord(cp)) return true;
    return Character.getType(cp) == Character.NON_SPACING_MARK && hasBaseCharacter(text, i);
  }

  /** {@code \b} of java.util.regex at {@code i}. */
  public static boolean isWordBoundary(CharSequence text, int i) {
    return wordBefore(text, i) != wordAt(text, i);
  }

  /** For {@code \b}, java.util.regex counts letters and digits in any script, and the underscore. */
  private static boolean isBoundaryWord(int cp) {
    return cp == '_' || Character.isLetterOrDigit(cp);
  }

  /** A combining mark counts as a word character when the character it sits on is one. */
  private static boolean hasBaseCharacter(CharSequence text, int i) {
    for (int x = i; x >= 0 && x > i - MARK_LOOK_BACK; x--) {
      int cp = Character.codePointAt(text, x);
      if (Character.isLetterOrDigit(cp)) return true;
      if (Character.getType(cp) != Character.NON_SPACING_MARK) return false;
    }
    return false;
  }
}
