package io.kimiproxy.proxy.resilience;

import io.vertx.core.json.JsonObject;

/**
 * How one provider is doing right now.
 *
 * @param breaker      "closed", "open" or "half_open"
 * @param latencyP50Ms median time to the response head over the recent calls, or null before any
 * @param latencyP95Ms 95th percentile of the same, or null
 * @param errorRate    share of the recent calls that failed through the provider's fault (0..1)
 * @param requests     calls made to the provider since the proxy started
 */
public record ProviderStatus(String provider, String breaker, Long latencyP50Ms, Long latencyP95Ms,
                             double errorRate, long requests) {

  /** The payload of a {@code provider_state} event. */
  public JsonObject toEvent() {
    return new JsonObject()
        .put("provider", provider)
        .put("breaker", breaker)
        .put("latency_p50_ms", latencyP50Ms)
        .put("latency_p95_ms", latencyP95Ms)
        .put("error_rate", errorRate);
  }
}
