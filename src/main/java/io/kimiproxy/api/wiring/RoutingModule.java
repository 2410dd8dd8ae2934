package io.kimiproxy.api.wiring;

import io.kimiproxy.features.smartrouting.RoutingRoutes;
import io.kimiproxy.features.smartrouting.SqlRoutingDecisionStore;
import io.kimiproxy.core.events.EventSink;
import io.kimiproxy.features.smartrouting.RoutingDecisionStore;
import io.kimiproxy.features.smartrouting.SmartStep;
import io.kimiproxy.proxy.chain.Measure;
import io.kimiproxy.proxy.resilience.ProviderHealthRegistry;
import io.kimiproxy.features.smartrouting.SmartSelector;
import io.vertx.ext.web.Router;

/** Smart routing (issue 4, item 7): the decisions' history and, per configuration, the pipeline's step. */
public final class RoutingModule implements Module {
  private final RoutingDecisionStore store;
  private final EventSink events;

  private RoutingModule(RoutingDecisionStore store, EventSink events) {
    this.store = store;
    this.events = events;
  }

  public static RoutingModule create(Foundation f, EventSink events) {
    return new RoutingModule(new SqlRoutingDecisionStore(f.storage().pool(), f.storage().dialect()), events);
  }

  /** The step for one generation: its configuration's smart aliases and weights. */
  public SmartStep step(Foundation f, ProviderHealthRegistry health, Measure measure) {
    return new SmartStep(new SmartSelector(f.config(), health), measure, store, events);
  }

  @Override
  public void mount(Router router) {
    new RoutingRoutes(store).mount(router);
  }
}
