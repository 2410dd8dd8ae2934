package io.kimiproxy.proxy.routing;

import java.util.List;

/**
 * The routes one request may take, in order: the alias the client asked for (when the prompt fits
 * its context window) and then its fallbacks that fit and have a key.
 *
 * @param requested the client's alias, routed
 * @param routes    never empty; the first is tried first
 */
public record RoutePlan(Route requested, List<Route> routes) {

  /** The requested alias was passed over because the prompt is larger than its context window. */
  public boolean skipsRequested() {
    return routes.get(0) != requested;
  }
}
