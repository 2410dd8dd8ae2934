package io.kimiproxy.features.limits;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the reset values providers put in {@code x-ratelimit-reset-*}: Go-style durations
 * ("1s", "6m0s", "120ms", "1h2m3.5s"), or plain seconds ("7.66"). A header value is bounded by the
 * HTTP client's header limit, and the expression is unambiguous (one run of digits per part), so
 * java.util.regex reads it in linear time.
 */
final class ResetDuration {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");
  private static final long MAX_MS = 3_600_000;

  private ResetDuration() {}

  /** How long a provider's requests should wait: the longer reset of those it reports exhausted, else 0. */
  static long pauseMillis(String remainingRequests, String resetRequests, String remainingTokens, String resetTokens) {
    return Math.max(exhaustedFor(remainingRequests, resetRequests), exhaustedFor(remainingTokens, resetTokens));
  }

  /** Milliseconds to wait when a provider reports nothing left, else 0. */
  static long exhaustedFor(String remaining, String reset) {
    if (remaining == null || reset == null) return 0;
    try {
      if (Double.parseDouble(remaining.trim()) > 0) return 0;
    } catch (NumberFormatException e) {
      return 0;
    }
    return parseMillis(reset);
  }

  static long parseMillis(String value) {
    String v = value.trim();
    if (v.isEmpty()) return 0;
    try {
      return clamp(Math.round(Double.parseDouble(v) * 1000));
    } catch (NumberFormatException notPlainSeconds) {
      double total = 0;
      Matcher m = PART.matcher(v);
      int end = 0;
      while (m.find()) {
        if (m.start() != end) return 0;
        end = m.end();
        double n = Double.parseDouble(m.group(1));
        total += switch (m.group(2)) {
          case "h" -> n * 3_600_000;
          case "m" -> n * 60_000;
          case "s" -> n * 1000;
          default -> n;
        };
      }
      return end == v.length() ? clamp(Math.round(total)) : 0;
    }
  }

  private static long clamp(long ms) {
    return Math.max(0, Math.min(MAX_MS, ms));
  }
}
