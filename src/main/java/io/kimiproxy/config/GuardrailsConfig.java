package io.kimiproxy.config;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@code [guardrails]}: whether tool calls are inspected, and the rule of each type (every type has
 * one: the defaults where the config says nothing).
 */
public record GuardrailsConfig(boolean enabled, Map<ToolCallType, GuardRule> rules) {

  public GuardrailsConfig {
    EnumMap<ToolCallType, GuardRule> all = new EnumMap<>(ToolCallType.class);
    for (ToolCallType type : ToolCallType.values()) all.put(type, GuardRule.defaults(type));
    all.putAll(rules);
    rules = Collections.unmodifiableMap(all);
  }

  public GuardRule rule(ToolCallType type) {
    return rules.get(type);
  }

  public GuardrailsConfig withEnabled(boolean on) {
    return new GuardrailsConfig(on, rules);
  }

  public GuardrailsConfig withRule(ToolCallType type, GuardRule rule) {
    EnumMap<ToolCallType, GuardRule> next = new EnumMap<>(rules);
    next.put(type, rule);
    return new GuardrailsConfig(enabled, next);
  }
}
