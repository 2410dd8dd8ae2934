package io.kimiproxy.features.guardrails;

import java.util.Locale;

/**
 * The three outcomes of judging a tool call: it broke no rule; it broke one whose action is
 * {@code log} (it reaches the client, and the dashboard hears of it); it broke one whose action is
 * {@code block}.
 */
public enum GuardDecision {
  ALLOWED, FLAGGED, BLOCKED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static GuardDecision parse(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
