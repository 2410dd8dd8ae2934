package io.kimiproxy.features.importers;

import io.vertx.core.Future;
import java.util.List;

/** The tasks imported from Cline's history, keyed by Cline's task id. */
public interface ClineTaskStore {

  /** Inserts new tasks and updates changed ones, in one transaction; importing the same file twice changes nothing. */
  Future<UpsertCounts> upsert(List<ClineTask> tasks);

  Future<Long> count();

  /** Usage of the tasks whose {@code ts} is in [fromMs, toMs). */
  Future<ClineUsage> usage(long fromMs, long toMs);
}
