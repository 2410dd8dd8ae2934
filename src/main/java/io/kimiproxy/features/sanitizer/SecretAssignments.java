package io.kimiproxy.features.sanitizer;

import static io.kimiproxy.core.util.TextScan.isSpace;
import static io.kimiproxy.core.util.TextScan.isWordBoundary;
import static io.kimiproxy.core.util.TextScan.isWordChar;
import static io.kimiproxy.core.util.TextScan.regionMatchesAsciiIgnoreCase;

import java.util.Arrays;
import java.util.List;

/**
 * Secret-looking assignments: {@code API_KEY=...}, {@code "db_password": "..."}, {@code
 * auth.token: ...}. Found from each {@code =} or {@code :} by reading backwards: blanks, an optional
 * quote, then the name, whose last word must hold or end a secret word (api_key, secret, token,
 * password, passwd, pwd, access_key, private_key, auth) in any case. The name may have a dotted or
 * dashed prefix ({@code spring.datasource.password}); a match starts at the first word boundary of
 * that name before its first secret word. Every {@code =}/{@code :}, name and value is read a
 * bounded number of times, so the scan is linear.
 */
final class SecretAssignments extends SecretShape {
  /** Secret words, lower case, with their spellings; the longest is 11 characters. */
  private static final List<String> WORDS = List.of("api_key", "api-key", "apikey", "secret", "token", "password",
      "passwd", "pwd", "access_key", "access-key", "accesskey", "private_key", "private-key", "privatekey", "auth");
  private static final int LONGEST_WORD = 11;

  private final String text;
  private final AssignedValues values;
  private int cursor;
  /** The separator being offered, or -1; the start of its name and the secret words found in it. */
  private int separator = -1;
  private int nameStart;
  private int[] wordStarts = new int[8];
  private boolean[] wordIsPassword = new boolean[8];
  private int words;
  /** The first secret word at or after the last start offered. */
  private int wordCursor;
  private int valueStart;
  private int valueEnd;
  /** Verdicts on the value for a password-like word and for any other word; null until asked. */
  private Boolean secretAsPassword;
  private Boolean secretAsOther;
  private int nextStart;

  SecretAssignments(String text) {
    this.text = text;
    this.values = new AssignedValues(text);
  }

  @Override
  protected SecretMatch find(int from) {
    while (true) {
      if (separator >= 0) {
        int last = wordStarts[words - 1];
        for (int p = Math.max(Math.max(from, nameStart), nextStart); p <= last; p++) {
          if (isWordBoundary(text, p)) {
            nextStart = p + 1;
            return new SecretMatch(p, valueEnd, valueStart, verdict(p) ? "secret_assignment" : null);
          }
        }
      }
      // A separator at or before `from` has all its starts before `from`.
      int next = nextSeparator(Math.max(cursor, from + 1));
      if (next < 0) return null;
      cursor = next + 1;
      separator = read(next) ? next : -1;
    }
  }

  private int nextSeparator(int from) {
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '=' || c == ':') return i;
    }
    return -1;
  }

  /** Reads the name before and the value after the separator at {@code at}; false when it is no candidate. */
  private boolean read(int at) {
    int end = at;
    while (end > 0 && isSpace(text.charAt(end - 1))) end--;
    if (end > 0 && (text.charAt(end - 1) == '"' || text.charAt(end - 1) == '\'')) end--;
    int lastWordStart = end;
    while (lastWordStart > 0 && isWordChar(text.charAt(lastWordStart - 1))) lastWordStart--;
    if (lastWordStart == end) return false;
    int start = lastWordStart;
    while (start > 0 && isNameChar(text.charAt(start - 1))) start--;
    words = 0;
    for (int k = Math.max(start, lastWordStart - LONGEST_WORD); k < end; k++) {
      String word = wordAt(k);
      if (word != null && k + word.length() >= lastWordStart && k + word.length() <= end) {
        if (words == wordStarts.length) {
          wordStarts = Arrays.copyOf(wordStarts, words * 2);
          wordIsPassword = Arrays.copyOf(wordIsPassword, words * 2);
        }
        wordStarts[words] = k;
        wordIsPassword[words] = word.startsWith("pass") || word.equals("pwd");
        words++;
      }
    }
    if (words == 0) return false;
    int value = at + 1;
    while (value < text.length() && isSpace(text.charAt(value))) value++;
    if (value < text.length() && (text.charAt(value) == '"' || text.charAt(value) == '\'')) value++;
    int valueEndAt = values.end(value);
    if (valueEndAt - value < 6 || (valueEndAt < text.length() && text.charAt(valueEndAt) == '(')) return false;
    nameStart = start;
    nextStart = start;
    wordCursor = 0;
    valueStart = value;
    valueEnd = valueEndAt;
    secretAsPassword = null;
    secretAsOther = null;
    return true;
  }

  /** The secret word at {@code k}, or null. */
  private String wordAt(int k) {
    for (String word : WORDS) {
      if (regionMatchesAsciiIgnoreCase(text, k, word)) return word;
    }
    return null;
  }

  /** The verdict for a match starting at {@code p}: its secret word is the first one at or after p. */
  private boolean verdict(int p) {
    while (wordStarts[wordCursor] < p) wordCursor++;
    if (wordIsPassword[wordCursor]) {
      if (secretAsPassword == null) secretAsPassword = values.isSecret(valueStart, true);
      return secretAsPassword;
    }
    if (secretAsOther == null) secretAsOther = values.isSecret(valueStart, false);
    return secretAsOther;
  }

  private static boolean isNameChar(char c) {
    return isWordChar(c) || c == '.' || c == '-';
  }
}
