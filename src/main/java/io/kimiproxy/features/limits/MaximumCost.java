package io.kimiproxy.features.limits;

import io.kimiproxy.config.ModelConfig;

/**
 * The most a call can cost, which a budget holds while it runs: the prompt, and the longest answer
 * the request allows (its max tokens; without them, the rest of the model's context window; with
 * no window known, nothing beyond the prompt).
 */
public record MaximumCost(long tokens, double usd) {

  /** @param maxTokens the request's own bound on its answer, or null */
  public static MaximumCost of(Long maxTokens, ModelConfig model, long promptTokens) {
    long completion = Math.max(0, maxTokens != null ? maxTokens : model.maxContext() - promptTokens);
    return new MaximumCost(promptTokens + completion, model.cost(promptTokens, 0, completion));
  }
}
