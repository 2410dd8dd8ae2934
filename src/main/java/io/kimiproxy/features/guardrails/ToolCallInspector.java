package io.kimiproxy.features.guardrails;

/**
 * Judges the tool calls a model returns before the client receives them. Defined here so the relay
 * (proxy floor) can use it without knowing the rules (features floor); {@code api.ProxyServer}
 * supplies the implementation.
 */
@FunctionalInterface
public interface ToolCallInspector {
  /**
   * The inspection of one answer under the rules in force now (a rule changed mid-answer applies
   * from the next answer on), or null when the guardrails are off.
   */
  ToolCallInspection open(ToolCallContext context);
}
