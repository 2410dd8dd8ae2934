package io.kimiproxy.config;

import java.util.List;
import java.util.Map;

/**
 * Smart routing: the aliases that choose among candidate aliases per request, and the weights of
 * the score (see docs/routing.md).
 *
 * @param candidates smart alias to its candidate aliases, in the order that breaks ties
 */
public record RoutingConfig(double headroomWeight, double priceWeight, double latencyWeight,
                            Map<String, List<String>> candidates) {
  public static final RoutingConfig DEFAULTS = new RoutingConfig(1.0, 1.0, 0.5, Map.of());

  public boolean isSmart(String alias) {
    return candidates.containsKey(alias);
  }
}
