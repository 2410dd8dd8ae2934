package io.kimiproxy.features.sanitizer;

import static io.kimiproxy.core.util.TextScan.isLineTerminator;
import static io.kimiproxy.core.util.TextScan.isSpace;
import static io.kimiproxy.core.util.TextScan.isWordChar;
import static io.kimiproxy.core.util.TextScan.regionMatchesAsciiIgnoreCase;

import java.util.List;

/**
 * Judges the values of secret-looking assignments. A value runs to the first blank, quote, comma,
 * semicolon, backslash or bracket. In {@code a=b=c=...} every value is a tail of the same run, so
 * the run's facts (its end, character counts, the last placeholder word in it) are gathered once
 * and each value's are derived from them: judging every assignment of a text costs one pass.
 */
final class AssignedValues {
  private static final List<String> PLACEHOLDERS = List.of("${", "{{", "process.env", "os.environ", "getenv",
      "placeholder", "changeme", "your_", "your-", "xxx", "***", "redacted");

  private final String text;
  /** The current run of value characters. */
  private int runStart = -1;
  private int runEnd = -1;
  /** The counts below describe {@code [countedFrom, runEnd)}; -1 before the first judgement in the run. */
  private int countedFrom = -1;
  private final int[] ascii = new int[128];
  private int other;
  private int digits;
  private int nonLetters;
  private int lastPlaceholder;
  private int lastTerminator;

  AssignedValues(String text) {
    this.text = text;
  }

  /** Where the value starting at {@code from} ends; calls come with increasing {@code from}. */
  int end(int from) {
    if (from >= runStart && from < runEnd) return runEnd;
    if (from >= text.length() || !isValueChar(text.charAt(from))) return from;
    runStart = from;
    runEnd = from;
    while (runEnd < text.length() && isValueChar(text.charAt(runEnd))) runEnd++;
    countedFrom = -1;
    return runEnd;
  }

  /**
   * Whether the value {@code [from, end(from))} is a secret: not a placeholder or a member path;
   * for a password any non-letter; else 16+ characters with a digit and 3.5+ bits of entropy.
   */
  boolean isSecret(int from, boolean password) {
    count(from);
    if (lastTerminator < from && lastPlaceholder >= from) return false;
    if (isMemberPath(from, runEnd)) return false;
    if (password) return nonLetters > 0;
    return runEnd - from >= 16 && digits > 0 && entropy() >= 3.5;
  }

  /** Whether {@code [from, to)} names a placeholder ({@code ${X}}, {@code your-key}, {@code ***}) on one line. */
  static boolean isPlaceholder(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      if (isLineTerminator(text.charAt(i))) return false;
    }
    for (int i = from; i < to; i++) {
      if (placeholderAt(text, i, to)) return true;
    }
    return false;
  }

  private static boolean placeholderAt(String text, int i, int to) {
    for (String word : PLACEHOLDERS) {
      if (i + word.length() <= to && regionMatchesAsciiIgnoreCase(text, i, word)) return true;
    }
    return false;
  }

  private void count(int from) {
    if (countedFrom < 0) {
      java.util.Arrays.fill(ascii, 0);
      other = 0;
      digits = 0;
      nonLetters = 0;
      lastPlaceholder = -1;
      lastTerminator = -1;
      for (int i = from; i < runEnd; i++) {
        char c = text.charAt(i);
        if (c < 128) ascii[c]++; else other++;
        if (Character.isDigit(c)) digits++;
        if (!Character.isLetter(c)) nonLetters++;
        if (isLineTerminator(c)) lastTerminator = i;
        if (placeholderAt(text, i, runEnd)) lastPlaceholder = i;
      }
    } else {
      for (int i = countedFrom; i < from; i++) {
        char c = text.charAt(i);
        if (c < 128) ascii[c]--; else other--;
        if (Character.isDigit(c)) digits--;
        if (!Character.isLetter(c)) nonLetters--;
      }
    }
    countedFrom = from;
  }

  /** Shannon entropy of the counted value, in bits per character. */
  private double entropy() {
    double bits = 0;
    double n = runEnd - countedFrom;
    for (int count : ascii) {
      if (count > 0) bits -= count / n * (Math.log(count / n) / Math.log(2));
    }
    if (other > 0) bits -= other / n * (Math.log(other / n) / Math.log(2));
    return bits;
  }

  /** {@code user.password}, {@code this.config.apiKey}: identifiers joined by dots, two at least. */
  private boolean isMemberPath(int from, int to) {
    int parts = 0;
    int i = from;
    while (true) {
      if (i >= to || !isIdentifierStart(text.charAt(i))) return false;
      i++;
      while (i < to && (isWordChar(text.charAt(i)) || text.charAt(i) == '$')) i++;
      parts++;
      if (i == to) return parts >= 2;
      if (text.charAt(i) != '.') return false;
      i++;
    }
  }

  private static boolean isIdentifierStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
  }

  /** The characters of a value: anything but blanks, quotes, backticks, , ; \ and brackets. */
  static boolean isValueChar(char c) {
    return !isSpace(c) && "\"'`,;\\()<>[]{}".indexOf(c) < 0;
  }
}
