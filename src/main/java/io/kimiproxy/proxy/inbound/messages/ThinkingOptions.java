package io.kimiproxy.proxy.inbound.messages;

import io.kimiproxy.core.error.ProxyError;
import io.vertx.core.json.JsonObject;

/**
 * What an Anthropic client's {@code thinking} and {@code output_config} ask of other providers.
 * Only thinking the client turned on with a budget becomes a reasoning effort: {@code adaptive}
 * (the model decides, Claude Code's default) says nothing a provider without it could act on,
 * and sending {@code reasoning_effort} to a model that cannot reason is refused by most servers.
 */
final class ThinkingOptions {
  /** The budgets {@code low}, {@code medium} and {@code high} stand for when the proxy goes the other way. */
  private static final long MEDIUM_BUDGET = 4096;
  private static final long HIGH_BUDGET = 16384;

  private ThinkingOptions() {}

  /** OpenAI's effort for an enabled thinking budget, else null. */
  static String effort(JsonObject thinking) {
    if (thinking == null || !"enabled".equals(thinking.getValue("type"))) return null;
    if (!(thinking.getValue("budget_tokens") instanceof Number budget)) {
      throw ProxyError.invalidRequest("'thinking.budget_tokens' is required when thinking is enabled.", "thinking");
    }
    long tokens = budget.longValue();
    return tokens >= HIGH_BUDGET ? "high" : tokens >= MEDIUM_BUDGET ? "medium" : "low";
  }

  /** Structured output ({@code output_config.format} of type json_schema) as OpenAI's response_format, else null. */
  static JsonObject responseFormat(JsonObject outputConfig) {
    if (outputConfig == null || !(outputConfig.getValue("format") instanceof JsonObject format)
        || !"json_schema".equals(format.getValue("type")) || !(format.getValue("schema") instanceof JsonObject schema)) {
      return null;
    }
    return new JsonObject().put("type", "json_schema")
        .put("json_schema", new JsonObject().put("name", "output").put("schema", schema).put("strict", true));
  }
}
