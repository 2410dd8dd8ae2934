package io.kimiproxy.api.wiring;

import io.kimiproxy.features.clients.ClientRoutes;
import io.kimiproxy.features.importers.ClineRoutes;
import io.kimiproxy.features.importers.ContinueRoutes;
import io.kimiproxy.features.importers.SqlClineTaskStore;
import io.kimiproxy.core.events.EventSink;
import io.kimiproxy.features.importers.ClineTaskStore;
import io.kimiproxy.features.clients.ClientMonitor;
import io.kimiproxy.features.importers.Importers;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;

/** Who uses the proxy: the client monitor, and the importers of what Cline and Continue record (issue 7). */
public final class ClientsModule implements Module {
  private final Foundation foundation;
  private final ClientMonitor monitor;
  private final ClineTaskStore clineTasks;
  private Importers importers;

  private ClientsModule(Foundation foundation, ClientMonitor monitor, ClineTaskStore clineTasks) {
    this.foundation = foundation;
    this.monitor = monitor;
    this.clineTasks = clineTasks;
  }

  public static ClientsModule create(Foundation f, EventSink events) {
    ClientMonitor monitor = new ClientMonitor(f.config().clients().idleAfterMs(), events, f.scrubber());
    return new ClientsModule(f, monitor, new SqlClineTaskStore(f.storage().pool(), f.storage().dialect()));
  }

  public ClientMonitor monitor() {
    return monitor;
  }

  /** The monitor's totals before this start come from the ledger; then the importers begin polling. */
  @Override
  public Future<Void> beforeListening() {
    return monitor.loadHistory(foundation.storage().clientHistory())
        .map(loaded -> {
          importers = Importers.start(foundation.vertx(), foundation.config().clients(), clineTasks);
          return null;
        });
  }

  @Override
  public void mount(Router router) {
    new ClientRoutes(monitor).mount(router);
    new ClineRoutes(importers.cline(), clineTasks).mount(router);
    new ContinueRoutes(importers.continueLog(), foundation.store(), foundation.ledger()).mount(router);
  }

  @Override
  public Future<Void> close() {
    return importers == null ? Future.succeededFuture() : importers.close();
  }
}
