package io.kimiproxy.features.sanitizer;

import static io.kimiproxy.core.util.TextScan.isAsciiAlnum;
import static io.kimiproxy.core.util.TextScan.isAsciiLetter;
import static io.kimiproxy.core.util.TextScan.isSpace;
import static io.kimiproxy.core.util.TextScan.wordBefore;

/**
 * The password of a connection string, {@code scheme://user:password@host}. Found from each
 * {@code ://}: the scheme is read backwards, the user and the password (at most 200 characters)
 * forwards, once per {@code ://}. A password that is a placeholder ({@code ${DB_PASSWORD}}) is a
 * rejected candidate, whichever letter of the scheme the match is taken to start at.
 */
final class ConnectionPasswords extends SecretShape {
  private static final int MAX_PASSWORD = 200;

  private final String text;
  private int cursor;
  /** The {@code ://} being offered: its position, where its scheme starts, its match's end and kind. */
  private int separator = -1;
  private int schemeStart;
  private int passwordStart;
  private int passwordEnd;
  private String kind;
  /** Positions of the current scheme below this one were already offered as starts. */
  private int nextStart;

  ConnectionPasswords(String text) {
    this.text = text;
  }

  @Override
  protected SecretMatch find(int from) {
    while (true) {
      if (separator >= 0) {
        for (int p = Math.max(Math.max(from, schemeStart), nextStart); p < separator; p++) {
          if (isAsciiLetter(text.charAt(p)) && !wordBefore(text, p)) {
            nextStart = p + 1;
            return new SecretMatch(p, passwordEnd, passwordStart, kind);
          }
        }
      }
      // A "://" at or before `from` has all its starts before `from`.
      int next = text.indexOf("://", Math.max(cursor, from + 1));
      if (next < 0) return null;
      cursor = next + 1;
      separator = read(next) ? next : -1;
    }
  }

  /** Reads the scheme, user and password around the {@code ://} at {@code at}; false if it has none. */
  private boolean read(int at) {
    int s = at;
    while (s > 0 && isSchemeChar(text.charAt(s - 1))) s--;
    int u = at + 3;
    while (u < text.length() && isUserChar(text.charAt(u))) u++;
    if (u == at + 3 || u >= text.length() || text.charAt(u) != ':') return false;
    int start = u + 1;
    int end = start;
    while (end < text.length() && end - start < MAX_PASSWORD && isPasswordChar(text.charAt(end))) end++;
    if (end == start || end >= text.length() || text.charAt(end) != '@') return false;
    schemeStart = s;
    nextStart = s;
    passwordStart = start;
    passwordEnd = end;
    kind = AssignedValues.isPlaceholder(text, start, end) ? null : "connection_password";
    return true;
  }

  private static boolean isSchemeChar(char c) {
    return isAsciiAlnum(c) || c == '+' || c == '.' || c == '-';
  }

  private static boolean isUserChar(char c) {
    return c != ':' && isPasswordChar(c);
  }

  private static boolean isPasswordChar(char c) {
    return c != '@' && c != '/' && c != '\'' && c != '"' && c != '\\' && !isSpace(c);
  }
}
