package io.kimiproxy.proxy.wire.responses;

import io.kimiproxy.core.model.Usage;
import io.vertx.core.json.JsonObject;

/**
 * Usage in the Responses API's words ({@code input_tokens}, {@code input_tokens_details.cached_tokens},
 * {@code output_tokens}, {@code output_tokens_details.reasoning_tokens}, {@code total_tokens}) to and
 * from the neutral stream's, which is OpenAI's Chat Completions usage.
 */
public final class ResponsesUsage {
  private ResponsesUsage() {}

  /** A Responses usage object; every field present, as Codex reads them. */
  public static JsonObject of(JsonObject chatUsage) {
    Usage usage = Usage.fromOpenAi(chatUsage);
    return new JsonObject()
        .put("input_tokens", usage.promptTokens())
        .put("input_tokens_details", new JsonObject().put("cached_tokens", usage.cachedTokens()))
        .put("output_tokens", usage.completionTokens())
        .put("output_tokens_details", new JsonObject().put("reasoning_tokens", usage.reasoningTokens()))
        .put("total_tokens", usage.totalTokens());
  }

  /** A provider's Responses usage as Chat Completions usage, or null when it sent none. */
  static JsonObject toChat(Object responsesUsage) {
    if (!(responsesUsage instanceof JsonObject u)) return null;
    long cached = u.getValue("input_tokens_details") instanceof JsonObject d ? number(d, "cached_tokens") : 0;
    long reasoning = u.getValue("output_tokens_details") instanceof JsonObject d ? number(d, "reasoning_tokens") : 0;
    return new Usage(number(u, "input_tokens"), number(u, "output_tokens"), cached, reasoning).toOpenAi();
  }

  private static long number(JsonObject json, String key) {
    return json.getValue(key) instanceof Number n ? n.longValue() : 0L;
  }
}
