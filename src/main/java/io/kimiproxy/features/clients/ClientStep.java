package io.kimiproxy.features.clients;

import io.kimiproxy.core.ledger.RequestRecord;
import io.kimiproxy.proxy.chain.Attribute;
import io.kimiproxy.proxy.chain.ChatExchange;
import io.kimiproxy.proxy.chain.ChatStep;
import io.vertx.core.Future;

/** The client monitor's view of a request: in flight from the moment it is read, its task, how it ended. */
public final class ClientStep implements ChatStep {
  private static final Attribute<ClientMonitor.Visit> VISIT = new Attribute<>("client-visit");
  private final ClientMonitor monitor;

  public ClientStep(ClientMonitor monitor) {
    this.monitor = monitor;
  }

  @Override
  public Future<Void> prepare(ChatExchange x) {
    ClientMonitor.Visit visit = monitor.arrived(x.caller().client(), x.caller().clientKey());
    x.put(VISIT, visit);
    monitor.working(visit, x.request());
    return Future.succeededFuture();
  }

  @Override
  public void finished(ChatExchange x, RequestRecord row) {
    ClientMonitor.Visit visit = x.get(VISIT);
    if (visit != null) monitor.left(visit, row);
  }
}
