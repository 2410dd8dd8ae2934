package io.kimiproxy.proxy.routing;

import io.kimiproxy.config.ModelConfig;
import io.kimiproxy.config.ProviderConfig;

/**
 * Where one request goes: the alias the client named, its model entry and its provider.
 *
 * @param priced false for a {@code <provider>/<model>} call whose provider sets no fallback price:
 *               its cost is unknown, and counted as $0 (see QuotaTracker#unpriced)
 */
public record Route(String alias, ModelConfig model, ProviderConfig provider, boolean priced) {

  /** An alias of the config: priced by it, even at 0 (a free or local model). */
  public Route(String alias, ModelConfig model, ProviderConfig provider) {
    this(alias, model, provider, true);
  }

  public String upstreamModel() {
    return model.upstreamModel();
  }
}
