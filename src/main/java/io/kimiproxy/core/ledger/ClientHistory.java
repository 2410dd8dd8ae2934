package io.kimiproxy.core.ledger;

import io.vertx.core.Future;
import java.util.List;

/** Per-client totals of the ledger: the client monitor's starting point after a restart. */
public interface ClientHistory {

  /** Totals per client kind over the client requests (not earlier attempts) that started before {@code beforeMs}. */
  Future<List<ClientTotals>> clientTotals(long beforeMs);
}
