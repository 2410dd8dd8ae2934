package io.kimiproxy.features.sanitizer;

import static io.kimiproxy.core.util.TextScan.isAsciiAlnum;
import static io.kimiproxy.core.util.TextScan.isAsciiDigit;
import static io.kimiproxy.core.util.TextScan.isSpace;
import static io.kimiproxy.core.util.TextScan.isWordChar;
import static io.kimiproxy.core.util.TextScan.regionMatchesAsciiIgnoreCase;

import java.util.List;

/**
 * Provider key and token shapes, each recognised from a literal prefix ({@code sk-ant-},
 * {@code gsk_}, {@code AKIA}, {@code Bearer}...) followed by one run of key characters. A key must
 * not continue a word ({@code xsk-...} is not a key), so a run is read only from a position where
 * a key may start, and no run is read twice: the scan is linear.
 */
final class KeyShapes {
  private interface Chars {
    boolean has(char c);
  }

  private static final Chars KEY = c -> isAsciiAlnum(c) || c == '_' || c == '-';
  private static final Chars ALNUM = c -> isAsciiAlnum(c);
  private static final Chars ALNUM_UNDERSCORE = c -> isAsciiAlnum(c) || c == '_';
  private static final Chars ALNUM_DASH = c -> isAsciiAlnum(c) || c == '-';
  private static final Chars UPPER_DIGIT = c -> isAsciiDigit(c) || (c >= 'A' && c <= 'Z');
  private static final Chars BEARER = c -> isAsciiAlnum(c) || "._~+/-".indexOf(c) >= 0;

  private KeyShapes() {}

  /** The shapes in the order they are preferred when two start at the same character. */
  static List<SecretShape> of(String text) {
    int n = text.length();
    return List.of(
        SecretShape.at(n, "anthropic_key", p -> prefixed(text, p, "sk-ant-", KEY, 20)),
        SecretShape.at(n, "openrouter_key", p -> prefixed(text, p, "sk-or-", KEY, 20)),
        SecretShape.at(n, "openai_key", p -> prefixed(text, p, "sk-", KEY, 20)),
        SecretShape.at(n, "groq_key", p -> prefixed(text, p, "gsk_", ALNUM, 20)),
        SecretShape.at(n, "nvidia_key", p -> prefixed(text, p, "nvapi-", KEY, 20)),
        SecretShape.at(n, "google_key", p -> startsKey(text, p) && text.startsWith("AIza", p) ? exactly(text, p + 4, KEY, 35) : -1),
        SecretShape.at(n, "xai_key", p -> prefixed(text, p, "xai-", ALNUM, 20)),
        SecretShape.at(n, "github_token", p -> github(text, p)),
        SecretShape.at(n, "aws_access_key", p -> aws(text, p)),
        SecretShape.at(n, "slack_token", p -> slack(text, p)));
  }

  /** {@code Bearer <token>}: the match keeps the word and the blanks, and replaces the token. */
  static SecretShape bearer(String text) {
    return new SecretShape() {
      @Override
      protected SecretMatch find(int from) {
        for (int p = from; p < text.length(); p++) {
          if (!regionMatchesAsciiIgnoreCase(text, p, "bearer")) continue;
          int token = p + 6;
          if (token >= text.length() || !isSpace(text.charAt(token))) continue;
          while (token < text.length() && isSpace(text.charAt(token))) token++;
          int end = run(text, token, BEARER);
          if (end - token < 16) continue;
          while (end < text.length() && text.charAt(end) == '=') end++;
          return new SecretMatch(p, end, token, "bearer_token");
        }
        return null;
      }
    };
  }

  /** Not inside a word or a dashed name: the character before is no letter, digit, _ or -. */
  private static boolean startsKey(String text, int p) {
    if (p == 0) return true;
    char c = text.charAt(p - 1);
    return !isWordChar(c) && c != '-';
  }

  private static int prefixed(String text, int p, String prefix, Chars chars, int atLeast) {
    if (!startsKey(text, p) || !text.startsWith(prefix, p)) return -1;
    int from = p + prefix.length();
    int end = run(text, from, chars);
    return end - from >= atLeast ? end : -1;
  }

  private static int exactly(String text, int from, Chars chars, int count) {
    if (from + count > text.length()) return -1;
    for (int i = from; i < from + count; i++) {
      if (!chars.has(text.charAt(i))) return -1;
    }
    return from + count;
  }

  private static int github(String text, int p) {
    if (!startsKey(text, p) || !text.startsWith("g", p)) return -1;
    if (text.startsWith("github_pat_", p)) {
      int end = run(text, p + 11, ALNUM_UNDERSCORE);
      return end - (p + 11) >= 22 ? end : -1;
    }
    boolean classic = text.startsWith("gh", p) && p + 3 < text.length() && "pousr".indexOf(text.charAt(p + 2)) >= 0 && text.charAt(p + 3) == '_';
    return classic ? exactly(text, p + 4, ALNUM, 36) : -1;
  }

  private static int aws(String text, int p) {
    if (p > 0 && isAsciiAlnum(text.charAt(p - 1))) return -1;
    if (!text.startsWith("AKIA", p) && !text.startsWith("ASIA", p)) return -1;
    int end = exactly(text, p + 4, UPPER_DIGIT, 16);
    return end < 0 || (end < text.length() && isAsciiAlnum(text.charAt(end))) ? -1 : end;
  }

  private static int slack(String text, int p) {
    if (!startsKey(text, p) || !text.startsWith("xox", p) || p + 4 >= text.length()) return -1;
    if ("abposr".indexOf(text.charAt(p + 3)) < 0 || text.charAt(p + 4) != '-') return -1;
    int end = run(text, p + 5, ALNUM_DASH);
    return end - (p + 5) >= 10 ? end : -1;
  }

  private static int run(String text, int from, Chars chars) {
    int i = from;
    while (i < text.length() && chars.has(text.charAt(i))) i++;
    return i;
  }
}
