package io.kimiproxy.features.limits;

import io.kimiproxy.config.ModelConfig;
import io.kimiproxy.core.model.ChatRequest;

/**
 * The most a call can cost, which a budget holds while it runs: the prompt, and the longest answer
 * the request allows ({@code max_completion_tokens} or {@code max_tokens}; without either, the
 * rest of the model's context window; with no window known, nothing beyond the prompt).
 */
public record MaximumCost(long tokens, double usd) {

  public static MaximumCost of(ChatRequest request, ModelConfig model, long promptTokens) {
    long completion = request.body().getValue("max_completion_tokens") instanceof Number n ? n.longValue()
        : request.body().getValue("max_tokens") instanceof Number m ? m.longValue()
        : Math.max(0, model.maxContext() - promptTokens);
    completion = Math.max(0, completion);
    return new MaximumCost(promptTokens + completion, model.cost(promptTokens, 0, completion));
  }
}
