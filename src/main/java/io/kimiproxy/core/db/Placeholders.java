package io.kimiproxy.core.db;

/**
 * SQLite's JDBC driver takes {@code ?} placeholders, PostgreSQL's client {@code $1, $2...}: the
 * stores write their SQL once with {@code ?} and number it for PostgreSQL. Only the proxy's own
 * statements pass through here, and none has a {@code ?} inside a string literal.
 */
public final class Placeholders {
  private Placeholders() {}

  public static String numbered(String sql) {
    StringBuilder out = new StringBuilder(sql.length() + 16);
    int n = 0;
    for (int i = 0; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (c == '?') {
        out.append('$').append(++n);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
