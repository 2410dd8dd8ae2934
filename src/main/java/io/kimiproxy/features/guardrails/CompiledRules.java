package io.kimiproxy.features.guardrails;

import io.kimiproxy.config.ToolCallType;
import io.kimiproxy.config.GuardRule;
import io.kimiproxy.config.GuardrailsConfig;
import io.kimiproxy.features.guardrails.RulePatterns.CallPattern;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One version of the rules, compiled once (when the config is read or changed through the API)
 * and shared by every answer inspected under it.
 *
 * <p>How a call is judged against the rule of its type: a disabled rule allows everything. A call
 * whose every target (path, simple command; the call itself for CODE_REVIEW and OTHER) an allowed
 * pattern covers is allowed, whatever else it matches. Otherwise it breaks the rule when a blocked
 * pattern matches a target that no allowed pattern covers (so allowing {@code rm -rf node_modules}
 * does not let {@code rm -rf node_modules && rm -rf /} through), when its content is over
 * max_file_size_mb, or when the rule requires confirmation. A broken rule flags the call (action
 * log) or blocks it (action block).
 */
final class CompiledRules {
  private record Compiled(GuardRule rule, List<CallPattern> allowed, List<CallPattern> blocked) {}

  private final GuardrailsConfig config;
  private final Map<ToolCallType, Compiled> rules = new EnumMap<>(ToolCallType.class);
  private final boolean mayBlock;

  CompiledRules(GuardrailsConfig config) {
    this.config = config;
    boolean blocks = false;
    for (Map.Entry<ToolCallType, GuardRule> e : config.rules().entrySet()) {
      ToolCallType type = e.getKey();
      GuardRule rule = e.getValue();
      rules.put(type, new Compiled(rule,
          rule.allowedPatterns().stream().map(p -> RulePatterns.compile(type, p)).toList(),
          rule.blockedPatterns().stream().map(p -> RulePatterns.compile(type, p)).toList()));
      blocks |= rule.enabled() && rule.action() == GuardRule.Action.BLOCK;
    }
    this.mayBlock = blocks;
  }

  GuardrailsConfig config() {
    return config;
  }

  boolean mayBlock() {
    return mayBlock;
  }

  Judgement judge(ClassifiedCall call) {
    Compiled c = rules.get(call.type());
    if (!c.rule().enabled()) return new Judgement(GuardDecision.ALLOWED, "disabled", null, "the rule is disabled");
    Set<Integer> covered = new HashSet<>();
    String allowedBy = null;
    for (CallPattern p : c.allowed()) {
      Set<Integer> hits = p.matches(call);
      if (!hits.isEmpty() && allowedBy == null) allowedBy = p.source();
      covered.addAll(hits);
    }
    int targets = call.targetCount();
    if (targets > 0 && covered.size() == targets) {
      return new Judgement(GuardDecision.ALLOWED, "allowed_patterns", allowedBy, "matches allowed pattern '" + allowedBy + "'");
    }
    for (CallPattern p : c.blocked()) {
      if (!covered.containsAll(p.matches(call))) {
        return broken(c.rule(), "blocked_patterns", p.source(), "matches blocked pattern '" + p.source() + "'");
      }
    }
    long limit = (long) (c.rule().maxFileSizeMb() * 1024 * 1024);
    if (call.type().writesFiles() && limit > 0 && call.contentBytes() > limit) {
      return broken(c.rule(), "max_file_size_mb", null, String.format(Locale.ROOT, "content of %.1f MB is over the %s MB limit",
          call.contentBytes() / (1024.0 * 1024.0), number(c.rule().maxFileSizeMb())));
    }
    if (c.rule().requiresConfirmation()) {
      return broken(c.rule(), "requires_confirmation", null, "requires confirmation and no allowed pattern covers it");
    }
    return Judgement.CLEAR;
  }

  private static Judgement broken(GuardRule rule, String part, String pattern, String reason) {
    GuardDecision decision = rule.action() == GuardRule.Action.BLOCK ? GuardDecision.BLOCKED : GuardDecision.FLAGGED;
    return new Judgement(decision, part, pattern, reason);
  }

  private static String number(double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
  }
}
