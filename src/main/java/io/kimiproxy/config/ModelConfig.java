package io.kimiproxy.config;

import java.util.List;

/**
 * A model alias clients send as "model".
 *
 * @param maxContext       context window in tokens (0 when unknown)
 * @param inputPrice       USD per million prompt tokens
 * @param outputPrice      USD per million completion tokens
 * @param cachedInputPrice USD per million prompt tokens served from the provider's cache
 * @param fallbacks        aliases to try, in order, when this one cannot answer
 */
public record ModelConfig(String alias, String provider, String upstreamModel, long maxContext,
                          double inputPrice, double outputPrice, double cachedInputPrice,
                          List<String> fallbacks) {

  /** Cost in USD of a request with this usage. */
  public double cost(long promptTokens, long cachedTokens, long completionTokens) {
    long uncached = Math.max(0, promptTokens - cachedTokens);
    return (uncached * inputPrice + cachedTokens * cachedInputPrice + completionTokens * outputPrice) / 1_000_000.0;
  }
}
