package io.kimiproxy.proxy.routing;

import io.kimiproxy.config.CompactionConfig;
import io.kimiproxy.config.ModelConfig;
import java.util.Map;

/**
 * What the context features need to know about the model a client named: its window, the name
 * its tokens are counted by, the room kept for the answer, and a larger fallback when it overflows.
 */
public final class ContextModels {
  private final Map<String, ModelConfig> models;
  private final long reservedOutputTokens;

  public ContextModels(Map<String, ModelConfig> models, CompactionConfig compaction) {
    this.models = models;
    this.reservedOutputTokens = compaction.reservedOutputTokens();
  }

  /** The alias's context window, 0 when unknown (a direct provider/model name or an unset window). */
  public long maxContext(String requested) {
    ModelConfig model = models.get(requested);
    return model == null ? 0 : model.maxContext();
  }

  /** Alias and upstream id together, so the token family is found from either. */
  public String countingName(String requested) {
    ModelConfig model = models.get(requested);
    return model == null ? requested : requested + " " + model.upstreamModel();
  }

  /**
   * Tokens kept free for the answer: the client's own max_tokens when it sets one, else the
   * configured reserve, capped at a quarter of the window so that a small model is not declared
   * full by the reserve alone.
   */
  public long reservedOutput(String requested, Long clientMaxTokens) {
    if (clientMaxTokens != null && clientMaxTokens > 0) return clientMaxTokens;
    long window = maxContext(requested);
    return window == 0 ? reservedOutputTokens : Math.min(reservedOutputTokens, window / 4);
  }

  /**
   * The first of the alias's fallbacks whose window holds {@code neededTokens}, or null. Only a
   * fallback with a larger window than the alias counts: the point is room, not availability.
   */
  public String largerFallback(String requested, long neededTokens) {
    ModelConfig model = models.get(requested);
    if (model == null) return null;
    for (String alias : model.fallbacks()) {
      ModelConfig fallback = models.get(alias);
      if (fallback != null && fallback.maxContext() > model.maxContext() && fallback.maxContext() >= neededTokens) {
        return alias;
      }
    }
    return null;
  }
}
