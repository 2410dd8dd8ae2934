package io.kimiproxy.api.wiring;

import io.kimiproxy.core.events.EventSink;
import io.kimiproxy.features.agents.AgentRoutes;
import io.kimiproxy.features.agents.SqlAgentRunStore;
import io.kimiproxy.features.agents.AgentRunner;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;

/** Named agent presets run in the background through the proxy's own pipeline (issue 7). */
public final class AgentModule implements Module {
  private final AgentRunner runner;
  private final long maxBodyBytes;

  private AgentModule(AgentRunner runner, long maxBodyBytes) {
    this.runner = runner;
    this.maxBodyBytes = maxBodyBytes;
  }

  public static AgentModule create(Foundation f, EventSink events) {
    SelfAddress self = f.self();
    String instance = f.config().shared() != null ? f.config().shared().instance()
        : f.config().server().host() + ":" + f.config().server().port();
    AgentRunner runner = new AgentRunner(f.vertx(), f.config().agents(),
        new SqlAgentRunStore(f.storage().pool(), f.storage().dialect(), instance), f.internal(), self.host(), self::port,
        f.scrubber(), events);
    return new AgentModule(runner, f.config().server().maxBodyBytes());
  }

  @Override
  public void mount(Router router) {
    new AgentRoutes(runner, maxBodyBytes).mount(router);
  }

  /** Runs a crash or a stop left queued or running are marked interrupted before new ones can start. */
  @Override
  public Future<Void> beforeListening() {
    return runner.sweepUnfinished();
  }

  @Override
  public Future<Void> close() {
    return runner.close();
  }
}
