package io.kimiproxy.features.importers;

import io.kimiproxy.config.ClientsConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** Both importers, started and closed together. */
public final class Importers {
  private final ClineImporter cline;
  private final ContinueImporter continueLog;

  private Importers(ClineImporter cline, ContinueImporter continueLog) {
    this.cline = cline;
    this.continueLog = continueLog;
  }

  public static Importers start(Vertx vertx, ClientsConfig config, ClineTaskStore clineTasks) {
    Importers importers = new Importers(new ClineImporter(vertx, config.cline(), clineTasks),
        new ContinueImporter(vertx, config.continueLog()));
    importers.cline.start();
    importers.continueLog.start();
    return importers;
  }

  public ClineImporter cline() {
    return cline;
  }

  public ContinueImporter continueLog() {
    return continueLog;
  }

  public Future<Void> close() {
    return Future.join(cline.close(), continueLog.close()).mapEmpty();
  }
}
