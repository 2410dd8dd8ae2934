package io.kimiproxy.features.guardrails;

import java.util.List;

/**
 * The assistant text that takes the place of blocked tool calls: what was blocked and why (one
 * line per call, from the inspection), and what the user can do about it. The client shows it
 * like any answer, and the model reads it in the next turn's history.
 */
final class BlockNotice {
  private static final String ADVICE = " If it was wanted, change the guardrail rules (PUT /api/guardrails/rules)"
      + " or switch guardrails off (POST /api/guardrails/toggle) and ask again.";

  private BlockNotice() {}

  static String text(List<String> notices) {
    if (notices.size() == 1) {
      return "Kimi Proxy blocked a tool call: " + notices.get(0) + ". The call was removed from this answer and did not run."
          + ADVICE;
    }
    StringBuilder text = new StringBuilder("Kimi Proxy blocked ").append(notices.size()).append(" tool calls:\n");
    notices.forEach(n -> text.append("- ").append(n).append('\n'));
    return text.append("They were removed from this answer and did not run.").append(ADVICE).toString();
  }
}
