package io.kimiproxy.features.retention;

import io.kimiproxy.core.db.Maintenance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the ledger within its retention: every hour, rows older than {@code retentionDays} are
 * deleted in small batches, one batch per event-loop turn, so the database stays bounded without
 * ever holding the write lock for long; VACUUM runs on its own, rarer schedule.
 */
public final class RetentionJob {
  private static final Logger LOG = Logger.getLogger(RetentionJob.class.getName());
  private static final int BATCH = 500;
  private static final long PRUNE_EVERY_MS = 3_600_000L;

  private final Vertx vertx;
  private final Maintenance maintenance;
  private final int retentionDays;
  private final long vacuumEveryMs;
  private long pruneTimer = -1;
  private long vacuumTimer = -1;

  public RetentionJob(Vertx vertx, Maintenance maintenance, int retentionDays, long vacuumEveryMs) {
    this.vertx = vertx;
    this.maintenance = maintenance;
    this.retentionDays = retentionDays;
    this.vacuumEveryMs = vacuumEveryMs;
  }

  public void start() {
    if (retentionDays > 0) {
      pruneTimer = vertx.setPeriodic(60_000, PRUNE_EVERY_MS, id -> prune());
    }
    if (vacuumEveryMs > 0) {
      vacuumTimer = vertx.setPeriodic(vacuumEveryMs, id -> maintenance.vacuum()
          .onFailure(e -> LOG.log(Level.WARNING, "scheduled VACUUM failed: " + e.getMessage())));
    }
  }

  public void stop() {
    if (pruneTimer >= 0) vertx.cancelTimer(pruneTimer);
    if (vacuumTimer >= 0) vertx.cancelTimer(vacuumTimer);
  }

  /** Prunes everything past retention now; the counts of rows and sessions removed. */
  public Future<JsonObject> prune() {
    if (retentionDays <= 0) {
      return Future.succeededFuture(new JsonObject().put("requests_deleted", 0).put("sessions_deleted", 0));
    }
    long cutoff = System.currentTimeMillis() - retentionDays * 86_400_000L;
    return drain(() -> maintenance.pruneRequests(cutoff, BATCH), 0)
        .compose(rows -> drain(() -> maintenance.pruneSessions(cutoff, BATCH), 0)
            .map(sessions -> new JsonObject().put("requests_deleted", rows).put("sessions_deleted", sessions)
                .put("cutoff", cutoff)))
        .onSuccess(r -> {
          if (r.getInteger("requests_deleted") > 0) LOG.info("retention: " + r.encode());
        })
        .onFailure(e -> LOG.log(Level.WARNING, "retention pruning failed: " + e.getMessage()));
  }

  private Future<Integer> drain(Supplier<Future<Integer>> batch, int total) {
    return batch.get().compose(n -> n < BATCH ? Future.succeededFuture(total + n)
        // let other work in between batches, instead of one long run of deletes
        : vertx.timer(1).compose(t -> drain(batch, total + n)));
  }
}
