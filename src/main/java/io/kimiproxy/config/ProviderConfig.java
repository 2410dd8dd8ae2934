package io.kimiproxy.config;

import io.kimiproxy.core.util.Secret;
import java.net.URI;
import java.util.Map;

/**
 * A provider: where it lives, how it speaks and how to authenticate.
 *
 * @param apiKey    the resolved key, or null when none is set (see {@link #configured()})
 * @param apiKeyEnv the environment variable the key comes from, named in "not configured" errors
 * @param keyless   true when the config sets no api_key at all (a local server that needs none)
 * @param headers   extra headers sent with every call (e.g. OpenRouter's attribution headers)
 * @param resilience retries, backoff and circuit breaker settings
 * @param compat    what an OpenAI-compatible server accepts, where the config says so
 * @param fallbackPrice the price of a call to a model with none of its own, or null when the config sets none
 */
public record ProviderConfig(String name, WireType type, URI baseUrl, Secret apiKey, String apiKeyEnv,
                             boolean keyless, Timeouts timeouts, int maxConnections,
                             Map<String, String> headers, Resilience resilience, Compat compat,
                             FallbackPrice fallbackPrice) {

  /** A provider with the default retries and breaker, no compat switches and no fallback price (for one built by hand, as in tests). */
  public ProviderConfig(String name, WireType type, URI baseUrl, Secret apiKey, String apiKeyEnv, boolean keyless,
                        Timeouts timeouts, int maxConnections, Map<String, String> headers) {
    this(name, type, baseUrl, apiKey, apiKeyEnv, keyless, timeouts, maxConnections, headers, Resilience.DEFAULTS,
        Compat.UNSET, null);
  }

  /** The base URL's path ("/v1", "/openai/v1"), to which adapters append their endpoint. */
  public String basePath() {
    String path = baseUrl.getRawPath();
    return path == null ? "" : path;
  }

  public boolean configured() {
    return keyless || apiKey != null;
  }

  /** Why a call to this provider cannot be made, for the 401 a client gets. */
  public String missingKeyMessage() {
    String where = apiKeyEnv != null ? "set the " + apiKeyEnv + " environment variable"
        : "set providers." + name + ".api_key in the config";
    return "Provider '" + name + "' is not configured: its API key is missing; " + where + " and restart the proxy.";
  }
}
