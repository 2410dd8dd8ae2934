package io.kimiproxy.api.wiring;

import io.kimiproxy.features.guardrails.GuardrailRoutes;
import io.kimiproxy.features.guardrails.SqlGuardActionStore;
import io.kimiproxy.core.events.EventSink;
import io.kimiproxy.features.guardrails.Guardrails;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;

/** Tool-call guardrails: judging the tool calls models return, with rules changeable at runtime (issue 7). */
public final class GuardrailsModule implements Module {
  private final Guardrails guardrails;
  private final long maxBodyBytes;

  private GuardrailsModule(Guardrails guardrails, long maxBodyBytes) {
    this.guardrails = guardrails;
    this.maxBodyBytes = maxBodyBytes;
  }

  public static GuardrailsModule create(Foundation f, EventSink events) {
    Guardrails guardrails = new Guardrails(f.config().guardrails(), new SqlGuardActionStore(f.storage().pool(), f.storage().dialect()),
        events, f.scrubber());
    return new GuardrailsModule(guardrails, f.config().server().maxBodyBytes());
  }

  public Guardrails guardrails() {
    return guardrails;
  }

  @Override
  public void mount(Router router) {
    new GuardrailRoutes(guardrails, maxBodyBytes).mount(router);
  }

  /** The decisions still queued for the history are written before the database closes. */
  @Override
  public Future<Void> close() {
    return guardrails.flush();
  }
}
