package io.kimiproxy.features.agents;

import io.vertx.core.Future;
import java.util.List;

/** Where agent runs are kept, so their results and logs outlive the process. */
public interface AgentRunStore {

  /** Inserts the run, or replaces the stored one with the same id. */
  Future<Void> save(AgentRun run);

  /** The run of that agent with that id, or null. */
  Future<AgentRun> find(String agentId, String runId);

  /** The agent's runs, newest first. */
  Future<List<AgentRun>> list(String agentId, int limit);

  /**
   * Ends every run still queued or running (a process that stopped cannot finish them) with
   * {@link RunStatus#INTERRUPTED}, the error and a log line; returns how many.
   */
  Future<Integer> interruptUnfinished(long nowMs, RunError error, String logMessage);
}
