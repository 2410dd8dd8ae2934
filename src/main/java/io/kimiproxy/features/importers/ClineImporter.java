package io.kimiproxy.features.importers;

import io.kimiproxy.config.ImporterConfig;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.features.importers.ImportReport.Outcome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.logging.Logger;

/**
 * Imports Cline's task history into SQLite: on a poll with backoff while enabled, and on request.
 * Read-only toward Cline's file; a file that is not a regular file, is too large or does not parse
 * imports nothing and keeps what was imported before. File work runs on worker threads; imports
 * run one after another.
 */
public final class ClineImporter {
  private static final Logger LOG = Logger.getLogger(ClineImporter.class.getName());
  /** Far above any real history (a few MB for thousands of tasks), low enough to read whole. */
  static final long MAX_BYTES = 64L * 1024 * 1024;

  /**
   * @param file       what is at the path now
   * @param lastImport the last import that succeeded, or null
   * @param lastError  why the latest look imported nothing, or null
   */
  public record Status(ImporterConfig config, SourceFile.Kind file, ImportReport lastImport, String lastError,
                       Long lastErrorMs, Long lastCheckMs) {}

  /** What a worker found at the path; tasks only when the file was parsed. */
  private record Look(ImportReport report, String fingerprint, ClineHistoryParser.Result parsed) {}

  private final Vertx vertx;
  private final ImporterConfig config;
  private final ClineTaskStore store;
  private final PollBackoff backoff;
  // guarded by this
  private Future<ImportReport> running = Future.succeededFuture();
  private String lastFingerprint;
  private ImportReport lastImport;
  private String lastError;
  private Long lastErrorMs;
  private Long lastCheckMs;
  private long timerId = -1;
  private boolean closed;

  public ClineImporter(Vertx vertx, ImporterConfig config, ClineTaskStore store) {
    this.vertx = vertx;
    this.config = config;
    this.store = store;
    this.backoff = new PollBackoff(config.pollMs(), config.maxPollMs());
  }

  /** Starts polling (at once) when enabled. */
  public void start() {
    if (config.enabled()) schedule(0);
  }

  /** Imports now, whether or not the file changed; fails with the reason when nothing could be imported. */
  public Future<ImportReport> importNow() {
    if (!config.enabled()) {
      return Future.failedFuture(ProxyError.of(409, "invalid_request_error", "importer_disabled",
          "The Cline importer is disabled: set [importers.cline] enabled = true and restart the proxy."));
    }
    return enqueue(true).compose(report -> switch (report.outcome()) {
      case IMPORTED -> Future.succeededFuture(report);
      case MISSING -> Future.failedFuture(ProxyError.notFound("cline_history_missing",
          "No Cline task history at " + config.path() + "; set [importers.cline] path if Cline keeps it elsewhere."));
      case REFUSED -> Future.failedFuture(ProxyError.of(422, "invalid_request_error", "cline_history_refused", report.message()));
      case INVALID -> Future.failedFuture(ProxyError.of(422, "invalid_request_error", "cline_history_invalid", report.message()));
      default -> Future.failedFuture(ProxyError.internal("The Cline import failed: " + report.message()));
    });
  }

  public Future<Status> status() {
    return vertx.executeBlocking(() -> SourceFile.probe(config.path(), MAX_BYTES).kind(), false)
        .map(kind -> {
          synchronized (this) {
            return new Status(config, kind, lastImport, lastError, lastErrorMs, lastCheckMs);
          }
        });
  }

  public synchronized Future<Void> close() {
    closed = true;
    if (timerId >= 0) vertx.cancelTimer(timerId);
    return running.<Void>mapEmpty().otherwiseEmpty();
  }

  private synchronized void schedule(long delayMs) {
    if (closed) return;
    timerId = vertx.setTimer(Math.max(1, delayMs), id -> enqueue(false)
        .onComplete(done -> schedule(backoff.next(done.succeeded() && done.result().fileRead()))));
  }

  private synchronized Future<ImportReport> enqueue(boolean force) {
    running = running.transform(previous -> look(force));
    return running;
  }

  private Future<ImportReport> look(boolean force) {
    String known;
    synchronized (this) {
      known = force ? null : lastFingerprint;
    }
    return vertx.executeBlocking(() -> read(known), false)
        .compose(this::store)
        .recover(e -> Future.succeededFuture(new Look(ImportReport.of(Outcome.FAILED,
            e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())), null, null)))
        .map(this::remember);
  }

  /** On a worker: what is at the path and, when it changed, its tasks. */
  private Look read(String knownFingerprint) throws IOException {
    SourceFile.Probe probe = SourceFile.probe(config.path(), MAX_BYTES);
    if (!probe.ok()) {
      Outcome outcome = probe.kind() == SourceFile.Kind.MISSING ? Outcome.MISSING : Outcome.REFUSED;
      return new Look(ImportReport.of(outcome, probe.problem(MAX_BYTES)), null, null);
    }
    if (probe.fingerprint().equals(knownFingerprint)) {
      return new Look(ImportReport.of(Outcome.UNCHANGED, null), knownFingerprint, null);
    }
    try {
      ClineHistoryParser.Result parsed = ClineHistoryParser.parse(SourceFile.readAll(config.path(), MAX_BYTES));
      return new Look(null, probe.fingerprint(), parsed);
    } catch (ProxyError e) {
      return new Look(ImportReport.of(Outcome.INVALID, e.getMessage()), probe.fingerprint(), null);
    }
  }

  private Future<Look> store(Look look) {
    if (look.parsed() == null) return Future.succeededFuture(look);
    ClineHistoryParser.Result parsed = look.parsed();
    return store.upsert(parsed.tasks()).map(counts -> new Look(new ImportReport(Outcome.IMPORTED, null,
        System.currentTimeMillis(), parsed.tasks().size(), parsed.skipped(), counts), look.fingerprint(), null));
  }

  private synchronized ImportReport remember(Look look) {
    ImportReport report = look.report();
    lastCheckMs = report.atMs();
    if (report.fileRead()) lastFingerprint = look.fingerprint();
    switch (report.outcome()) {
      case IMPORTED, MISSING -> {
        if (report.outcome() == Outcome.IMPORTED) lastImport = report;
        lastError = null;
        lastErrorMs = null;
      }
      case UNCHANGED -> { }
      default -> {
        if (!report.message().equals(lastError)) LOG.warning("Cline import: " + report.message());
        lastError = report.message();
        lastErrorMs = report.atMs();
      }
    }
    return report;
  }
}
