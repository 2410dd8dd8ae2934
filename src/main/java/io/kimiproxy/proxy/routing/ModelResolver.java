package io.kimiproxy.proxy.routing;

import io.kimiproxy.config.FallbackPrice;
import io.kimiproxy.config.ModelConfig;
import io.kimiproxy.config.ProviderConfig;
import io.kimiproxy.config.ProxyConfig;
import io.kimiproxy.core.error.ProxyError;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the "model" a client sends into a {@link Route}: a configured alias first; else
 * {@code <provider>/<upstream-model>} when the part before the first slash names a provider
 * (so "openrouter/meta-llama/llama-3.3-70b" reaches OpenRouter with "meta-llama/llama-3.3-70b"),
 * priced at the provider's {@code fallback_input_price} and {@code fallback_output_price} when set.
 */
public final class ModelResolver {
  private final ProxyConfig config;

  public ModelResolver(ProxyConfig config) {
    this.config = config;
  }

  /**
   * The requested route, then the routes of its fallbacks ({@code fallbacks = [...]}) for when it
   * fails: those whose provider has a key and whose context window holds the prompt (0 = unknown,
   * taken as fitting). Whether the prompt fits the requested model itself was settled before
   * routing, by the context steps (a larger fallback, compaction, or OpenAI's 400).
   */
  public List<Route> routes(String requested, long promptTokens) {
    List<Route> routes = new ArrayList<>();
    routes.add(resolve(requested));
    for (String alias : routes.get(0).model().fallbacks()) {
      Route fallback = resolve(alias);
      if (fallback.provider().configured() && fits(fallback, promptTokens)) routes.add(fallback);
    }
    return List.copyOf(routes);
  }

  public Route resolve(String requested) {
    ModelConfig alias = config.models().get(requested);
    if (alias != null) {
      return new Route(requested, alias, config.providers().get(alias.provider()));
    }
    int slash = requested.indexOf('/');
    if (slash > 0 && slash < requested.length() - 1) {
      ProviderConfig provider = config.providers().get(requested.substring(0, slash));
      if (provider != null) {
        String upstream = requested.substring(slash + 1);
        FallbackPrice price = provider.fallbackPrice();
        double input = price == null ? 0 : price.inputPrice();
        double output = price == null ? 0 : price.outputPrice();
        return new Route(requested, new ModelConfig(requested, provider.name(), upstream, 0, input, output, input, List.of()),
            provider, price != null);
      }
    }
    List<String> aliases = List.copyOf(config.models().keySet());
    throw ProxyError.notFound("model_not_found", "The model '" + requested + "' does not exist. Known aliases: "
        + (aliases.isEmpty() ? "(none)" : String.join(", ", aliases))
        + "; or use <provider>/<model> with a configured provider (" + String.join(", ", config.providers().keySet()) + ").");
  }

  private static boolean fits(Route route, long promptTokens) {
    long window = route.model().maxContext();
    return window == 0 || promptTokens <= window;
  }
}
