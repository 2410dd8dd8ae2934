package io.kimiproxy.core.model;

import io.vertx.core.json.JsonObject;

/**
 * Token usage of one request, in OpenAI's terms. {@code cachedTokens} are the prompt tokens the
 * provider served from its prompt cache (a subset of prompt tokens); {@code reasoningTokens} are
 * the completion tokens spent thinking (a subset of completion tokens).
 */
public record Usage(long promptTokens, long completionTokens, long cachedTokens, long reasoningTokens) {

  public static final Usage ZERO = new Usage(0, 0, 0, 0);

  public long totalTokens() {
    return promptTokens + completionTokens;
  }

  /** Reads an OpenAI-style usage object, including the variants compatible servers send. */
  public static Usage fromOpenAi(JsonObject usage) {
    long prompt = number(usage, "prompt_tokens");
    long completion = number(usage, "completion_tokens");
    long cached = 0;
    if (usage.getValue("prompt_tokens_details") instanceof JsonObject details) {
      cached = number(details, "cached_tokens");
    }
    if (cached == 0) {
      cached = number(usage, "prompt_cache_hit_tokens"); // DeepSeek
    }
    if (cached == 0) {
      cached = number(usage, "cached_tokens"); // Moonshot/Kimi
    }
    long reasoning = 0;
    if (usage.getValue("completion_tokens_details") instanceof JsonObject details) {
      reasoning = number(details, "reasoning_tokens");
    }
    return new Usage(prompt, completion, cached, reasoning);
  }

  /** An OpenAI usage object with the standard detail fields. */
  public JsonObject toOpenAi() {
    JsonObject json = new JsonObject()
        .put("prompt_tokens", promptTokens)
        .put("completion_tokens", completionTokens)
        .put("total_tokens", totalTokens());
    if (cachedTokens > 0) {
      json.put("prompt_tokens_details", new JsonObject().put("cached_tokens", cachedTokens));
    }
    if (reasoningTokens > 0) {
      json.put("completion_tokens_details", new JsonObject().put("reasoning_tokens", reasoningTokens));
    }
    return json;
  }

  private static long number(JsonObject json, String key) {
    return json.getValue(key) instanceof Number n ? n.longValue() : 0L;
  }
}
