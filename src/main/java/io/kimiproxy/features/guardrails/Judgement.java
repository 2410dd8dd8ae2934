package io.kimiproxy.features.guardrails;


/**
 * The decision on one call and what led to it.
 *
 * @param rule    the part of the rule that decided (blocked_patterns, allowed_patterns,
 *                max_file_size_mb, requires_confirmation, disabled), null when nothing applied
 * @param pattern the pattern that matched, if one did
 * @param reason  the same in words, for the user ("matches blocked pattern 'rm -rf'")
 */
record Judgement(GuardDecision decision, String rule, String pattern, String reason) {
  static final Judgement CLEAR = new Judgement(GuardDecision.ALLOWED, null, null, null);
}
