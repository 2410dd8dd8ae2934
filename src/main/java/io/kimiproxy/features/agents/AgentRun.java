package io.kimiproxy.features.agents;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One run of an agent preset. Immutable: each step of the run makes the next version, which the
 * runner stores. Holds the agent's output in full, but only a preview of its input.
 *
 * @param model        the preset's model alias
 * @param sessionId    the ledger session its model call is recorded under
 * @param inputPreview the start of the input, for recognising the run in a list
 * @param result       the model's answer, once succeeded
 * @param requestId    the ledger id of its call through the proxy, once answered
 * @param startedMs    when it got a slot and called its model (null while queued)
 */
public record AgentRun(String id, String agentId, RunStatus status, String model, String sessionId,
                       String inputPreview, String result, RunError error, List<RunLogLine> log,
                       long promptTokens, long completionTokens, String requestId,
                       long createdMs, Long startedMs, Long finishedMs) {

  public AgentRun {
    log = List.copyOf(log);
  }

  /** A new run, waiting for a slot. */
  public static AgentRun queued(String id, String agentId, String model, String inputPreview, long nowMs) {
    return new AgentRun(id, agentId, RunStatus.QUEUED, model, "agent:" + agentId + ":" + id, inputPreview,
        null, null, List.of(new RunLogLine(nowMs, "queued")), 0, 0, null, nowMs, null, null);
  }

  public AgentRun logged(long nowMs, String message) {
    List<RunLogLine> lines = new ArrayList<>(log);
    lines.add(new RunLogLine(nowMs, message));
    return new AgentRun(id, agentId, status, model, sessionId, inputPreview, result, error, lines,
        promptTokens, completionTokens, requestId, createdMs, startedMs, finishedMs);
  }

  public AgentRun started(long nowMs) {
    return new AgentRun(id, agentId, RunStatus.RUNNING, model, sessionId, inputPreview, result, error, log,
        promptTokens, completionTokens, requestId, createdMs, nowMs, finishedMs);
  }

  /** The proxy answered the run's call (whatever the status): which ledger row it is, and its usage. */
  public AgentRun answered(String ledgerId, long prompt, long completion) {
    return new AgentRun(id, agentId, status, model, sessionId, inputPreview, result, error, log,
        prompt, completion, ledgerId, createdMs, startedMs, finishedMs);
  }

  public AgentRun succeeded(long nowMs, String output) {
    return new AgentRun(id, agentId, RunStatus.SUCCEEDED, model, sessionId, inputPreview, output, null, log,
        promptTokens, completionTokens, requestId, createdMs, startedMs, nowMs);
  }

  public AgentRun ended(long nowMs, RunStatus ending, RunError why) {
    return new AgentRun(id, agentId, ending, model, sessionId, inputPreview, result, why, log,
        promptTokens, completionTokens, requestId, createdMs, startedMs, nowMs);
  }

  /** Time spent calling the model: until the end, or until now while running; null if it never started. */
  public Long durationMs(long nowMs) {
    if (startedMs == null) return null;
    return (finishedMs != null ? finishedMs : nowMs) - startedMs;
  }

  /** What a poll needs: the status and, once ended badly, why. */
  public JsonObject statusJson(long nowMs) {
    return new JsonObject().put("run_id", id).put("agent", agentId).put("status", status.label())
        .put("duration_ms", durationMs(nowMs)).put("error", error == null ? null : error.toJson());
  }

  /** Everything but the result and the log (for lists). */
  public JsonObject summaryJson(long nowMs) {
    return new JsonObject()
        .put("id", id).put("object", "agent.run").put("agent", agentId).put("status", status.label())
        .put("model", model).put("session", sessionId).put("request_id", requestId)
        .put("input_preview", inputPreview)
        .put("error", error == null ? null : error.toJson())
        .put("tokens", new JsonObject().put("prompt", promptTokens).put("completion", completionTokens)
            .put("total", promptTokens + completionTokens))
        .put("created_at", createdMs).put("started_at", startedMs).put("finished_at", finishedMs)
        .put("duration_ms", durationMs(nowMs));
  }

  public JsonObject toJson(long nowMs) {
    JsonArray lines = new JsonArray();
    log.forEach(line -> lines.add(line.toJson()));
    return summaryJson(nowMs).put("result", result).put("log", lines);
  }
}
