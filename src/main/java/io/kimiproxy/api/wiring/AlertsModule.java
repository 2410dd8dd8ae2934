package io.kimiproxy.api.wiring;

import io.kimiproxy.core.events.EventSink;
import io.kimiproxy.features.alerts.AlertCenter;
import io.kimiproxy.features.alerts.SqlAlertStore;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;

/**
 * The alerts: shared by every generation and kept in the database, so neither a configuration
 * reload nor a restart empties them. Their routes are the governance module's.
 */
public final class AlertsModule implements Module {
  private final AlertCenter alerts;

  private AlertsModule(AlertCenter alerts) {
    this.alerts = alerts;
  }

  public static AlertsModule create(Foundation f, EventSink events) {
    return new AlertsModule(new AlertCenter(events, new SqlAlertStore(f.storage().pool(), f.storage().dialect())));
  }

  public AlertCenter alerts() {
    return alerts;
  }

  /** The stored feed comes back before any budget is loaded (and may derive its alert again). */
  @Override
  public Future<Void> beforeListening() {
    return alerts.load();
  }

  @Override
  public void mount(Router router) {
    // GET /api/alerts is mounted with the budgets (GovernanceModule), which raise most alerts.
  }
}
