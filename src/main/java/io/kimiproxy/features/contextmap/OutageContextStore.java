package io.kimiproxy.features.contextmap;

import io.kimiproxy.core.db.Outage;
import io.kimiproxy.core.model.Phase;
import io.vertx.core.Future;

/** The context store as a request uses it: while the database is unreachable, no map is read or kept. */
public final class OutageContextStore implements ContextStore {
  private final ContextStore store;
  private final Outage outage;

  public OutageContextStore(ContextStore store, Outage outage) {
    this.store = store;
    this.outage = outage;
  }

  @Override
  public Future<Void> save(ContextMap map) {
    return outage.write(store.save(map), "context map");
  }

  @Override
  public Future<ContextMap> latest(String session) {
    return outage.read(store.latest(session), "context map", () -> null);
  }

  @Override
  public Future<Phase> phase(String session) {
    return outage.read(store.phase(session), "session phase", () -> null);
  }
}
