package io.kimiproxy.proxy.wire.anthropic;

import io.vertx.core.json.JsonObject;

/**
 * Anthropic's token counts. Its {@code input_tokens} exclude the prompt tokens read from or written
 * to the prompt cache, so OpenAI's {@code prompt_tokens} is the sum of all three.
 */
record AnthropicUsage(long input, long cacheRead, long cacheCreation, long output) {

  static final AnthropicUsage NONE = new AnthropicUsage(0, 0, 0, 0);

  static AnthropicUsage from(JsonObject usage) {
    return NONE.updatedBy(usage);
  }

  /**
   * The counts with those a later report carries replacing these: in a stream, message_start has
   * the input counts and message_delta the final output count (newer servers repeat the input ones).
   */
  AnthropicUsage updatedBy(JsonObject usage) {
    if (usage == null) return this;
    return new AnthropicUsage(
        number(usage, "input_tokens", input),
        number(usage, "cache_read_input_tokens", cacheRead),
        number(usage, "cache_creation_input_tokens", cacheCreation),
        number(usage, "output_tokens", output));
  }

  /**
   * OpenAI's usage object. Cache reads are OpenAI's {@code cached_tokens} (priced as cached input in
   * the ledger); cache writes have no OpenAI field, so they get one of their own beside it.
   */
  JsonObject toOpenAi() {
    long prompt = input + cacheRead + cacheCreation;
    return new JsonObject()
        .put("prompt_tokens", prompt)
        .put("completion_tokens", output)
        .put("total_tokens", prompt + output)
        .put("prompt_tokens_details", new JsonObject()
            .put("cached_tokens", cacheRead)
            .put("cache_creation_tokens", cacheCreation));
  }

  private static long number(JsonObject json, String key, long fallback) {
    return json.getValue(key) instanceof Number n ? n.longValue() : fallback;
  }
}
