package io.kimiproxy.core.json;

import java.nio.charset.StandardCharsets;

/** Reading and writing JSON string literals without a parser: for the few fields read from a span. */
public final class JsonStrings {
  private JsonStrings() {}

  /** The text of a string literal at {@code span} (quotes included), escapes resolved. */
  public static String decode(byte[] bytes, Span span) {
    String raw = new String(bytes, span.start() + 1, span.length() - 2, StandardCharsets.UTF_8);
    return raw.indexOf('\\') < 0 ? raw : unescape(raw);
  }

  /** Resolves the escapes of a literal's inside (already validated by {@link JsonIndex}). */
  public static String unescape(String raw) {
    StringBuilder out = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char e = raw.charAt(++i);
      switch (e) {
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          out.append((char) Integer.parseInt(raw.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> out.append(e);
      }
    }
    return out.toString();
  }

  /** Appends {@code text} as a JSON string literal. */
  public static StringBuilder quote(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"');
  }
}
