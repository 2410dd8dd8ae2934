package io.kimiproxy.api.wiring;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;

/** A feature's share of the wiring: built once from the {@link Foundation}, mounted, closed in reverse order. */
public interface Module {
  void mount(Router router);

  /** Work before the server listens (e.g. marking runs a crash left unfinished). */
  default Future<Void> beforeListening() {
    return Future.succeededFuture();
  }

  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
