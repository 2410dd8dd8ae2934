package io.kimiproxy.proxy.inbound.messages;

import io.kimiproxy.core.model.Usage;
import io.vertx.core.json.JsonObject;

/**
 * Usage in Anthropic's terms. OpenAI's prompt tokens include those read from the prompt cache (and,
 * from an Anthropic provider, those written to it); Anthropic counts the three apart.
 */
final class MessagesUsage {
  private MessagesUsage() {}

  /** @param openAi an OpenAI usage object, or null (all zero) */
  static JsonObject of(JsonObject openAi) {
    Usage usage = openAi == null ? Usage.ZERO : Usage.fromOpenAi(openAi);
    long written = openAi != null && openAi.getValue("prompt_tokens_details") instanceof JsonObject details
        && details.getValue("cache_creation_tokens") instanceof Number n ? n.longValue() : 0;
    return new JsonObject()
        .put("input_tokens", Math.max(0, usage.promptTokens() - usage.cachedTokens() - written))
        .put("cache_creation_input_tokens", written)
        .put("cache_read_input_tokens", usage.cachedTokens())
        .put("output_tokens", usage.completionTokens());
  }
}
