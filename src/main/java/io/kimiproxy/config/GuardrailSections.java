package io.kimiproxy.config;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Parses {@code [guardrails]} and its {@code [guardrails.rules.TYPE]} tables. A key a rule table
 * leaves out keeps the type's default, so {@code action = "block"} alone blocks on the default
 * patterns.
 */
final class GuardrailSections {
  private GuardrailSections() {}

  static GuardrailsConfig guardrails(TomlSection s) {
    boolean enabled = s.bool("enabled", true);
    TomlSection rules = s.section("rules");
    Map<ToolCallType, GuardRule> parsed = new EnumMap<>(ToolCallType.class);
    for (String key : rules.keys()) {
      ToolCallType type = ToolCallType.parse(key);
      if (type == null) {
        throw rules.error(key, "unknown tool-call type (known: "
            + Arrays.stream(ToolCallType.values()).map(Enum::name).collect(Collectors.joining(", ")) + ")");
      }
      parsed.put(type, rule(rules.section(key), GuardRule.defaults(type)));
    }
    rules.finish();
    s.finish();
    return new GuardrailsConfig(enabled, parsed);
  }

  private static GuardRule rule(TomlSection r, GuardRule d) {
    boolean enabled = r.bool("enabled", d.enabled());
    boolean confirm = r.bool("requires_confirmation", d.requiresConfirmation());
    double size = r.decimal("max_file_size_mb", d.maxFileSizeMb(), 0);
    List<String> allowed = r.has("allowed_patterns") ? r.strings("allowed_patterns") : d.allowedPatterns();
    List<String> blocked = r.has("blocked_patterns") ? r.strings("blocked_patterns") : d.blockedPatterns();
    String actionName = r.string("action", d.action().label());
    GuardRule.Action action = GuardRule.Action.parse(actionName);
    if (action == null) throw r.error("action", "'" + actionName + "' is not log or block");
    r.finish();
    try {
      return new GuardRule(enabled, confirm, size, allowed, blocked, action);
    } catch (IllegalArgumentException e) {
      throw r.error(null, e.getMessage());
    }
  }
}
