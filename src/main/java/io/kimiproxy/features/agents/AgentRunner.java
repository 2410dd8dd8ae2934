package io.kimiproxy.features.agents;

import io.kimiproxy.config.AgentConfig;
import io.kimiproxy.config.AgentsConfig;
import io.kimiproxy.core.error.ErrorType;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.events.EventNames;
import io.kimiproxy.core.events.EventSink;
import io.kimiproxy.core.util.InternalCalls;
import io.kimiproxy.core.util.SecretScrubber;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntSupplier;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs agent presets in the background. A run is one call to the proxy's own chat endpoint (so
 * routing, limits and the ledger apply to it as to any client), with the preset's system prompt,
 * model and parameters. At most {@code max_concurrent} runs call at once; the next
 * {@code max_queued} wait in arrival order; more are refused with a 429. Every step is stored,
 * one write after another per run, so what a poll reads is never older than the previous step.
 */
public final class AgentRunner {
  private static final Logger LOG = Logger.getLogger(AgentRunner.class.getName());
  private static final RunError INTERRUPTED = new RunError(503, ErrorType.SERVER, "agent_interrupted",
      "The proxy stopped before the run finished; start the run again.");

  private final Vertx vertx;
  private final AgentsConfig config;
  private final AgentRunStore store;
  private final SelfCalls calls;
  private final SecretScrubber scrubber;
  private final EventSink events;
  private final Deque<Active> waiting = new ArrayDeque<>(); // guarded by this
  private final Set<Active> running = new HashSet<>(); // guarded by this
  private boolean closed; // guarded by this

  public AgentRunner(Vertx vertx, AgentsConfig config, AgentRunStore store, InternalCalls internal,
                     String host, IntSupplier port, SecretScrubber scrubber, EventSink events) {
    this.vertx = vertx;
    this.config = config;
    this.store = store;
    this.calls = new SelfCalls(vertx, host, port, internal, config.maxConcurrent());
    this.scrubber = scrubber;
    this.events = events;
  }

  /**
   * Ends the runs a previous process left queued or running: nothing will finish them. Must
   * complete before the first new run is accepted, or that run would be swept too.
   */
  public Future<Void> sweepUnfinished() {
    return store.interruptUnfinished(System.currentTimeMillis(), INTERRUPTED,
            "interrupted: the proxy stopped before the run finished")
        .onSuccess(n -> {
          if (n > 0) LOG.info(n + " agent run(s) left unfinished by the previous process marked interrupted");
        })
        .mapEmpty();
  }

  public AgentsConfig config() {
    return config;
  }

  /** The preset, or a 404 naming the known ones. */
  public AgentConfig preset(String id) {
    AgentConfig preset = config.presets().get(id);
    if (preset == null) {
      throw ProxyError.notFound("agent_not_found", "No agent '" + id + "'. Known agents: "
          + (config.presets().isEmpty() ? "(none: add [agents.<id>] to the config)" : String.join(", ", config.presets().keySet())) + ".");
    }
    return preset;
  }

  /**
   * Accepts a run: stored as running (a slot was free) or queued, and answered as soon as it is
   * stored; the call itself goes on in the background.
   */
  public Future<AgentRun> submit(String agentId, AgentInput input) {
    AgentConfig preset = preset(agentId);
    long now = System.currentTimeMillis();
    Active run = new Active(preset, requestBody(preset, input),
        AgentRun.queued(UUID.randomUUID().toString(), agentId, preset.model(), scrubber.scrub(input.preview()), now));
    Future<Void> stored;
    synchronized (this) {
      if (closed) return Future.failedFuture(ProxyError.of(503, ErrorType.SERVER, "shutting_down", "The proxy is stopping."));
      boolean slotFree = running.size() < config.maxConcurrent() && waiting.isEmpty();
      if (!slotFree && waiting.size() >= config.maxQueued()) {
        return Future.failedFuture(ProxyError.of(429, ErrorType.RATE_LIMIT, "agent_queue_full",
            "Agent runs: " + running.size() + " running, " + waiting.size() + " waiting; that is the most allowed "
                + "([agents] max_concurrent = " + config.maxConcurrent() + ", max_queued = " + config.maxQueued()
                + "). Try again when one finishes."));
      }
      if (slotFree) {
        stored = start(run);
      } else {
        run.step(r -> r.logged(now, "waiting for a slot: " + (running.size() + waiting.size()) + " run(s) ahead"));
        waiting.add(run);
        stored = persist(run);
      }
    }
    AgentRun accepted = run.current;
    return stored.transform(done -> {
      if (done.succeeded()) return Future.succeededFuture(accepted);
      finish(run, r -> r.ended(System.currentTimeMillis(), RunStatus.FAILED, failure("the run could not be stored")));
      return Future.failedFuture(done.cause());
    });
  }

  /** A run of that agent, or a 404. */
  public Future<AgentRun> find(String agentId, String runId) {
    preset(agentId);
    return store.find(agentId, runId).compose(run -> run != null ? Future.succeededFuture(run)
        : Future.failedFuture(ProxyError.notFound("run_not_found", "Agent '" + agentId + "' has no run '" + runId + "'.")));
  }

  public Future<List<AgentRun>> list(String agentId, int limit) {
    preset(agentId);
    return store.list(agentId, limit);
  }

  /**
   * Stops taking runs and resets the calls in flight without recording an outcome for them: they
   * stay queued or running in the database, and the next start marks them interrupted.
   */
  public Future<Void> close() {
    List<Future<Void>> writes = new ArrayList<>();
    synchronized (this) {
      closed = true;
      for (Active run : running) {
        vertx.cancelTimer(run.timer);
        if (run.call != null) run.call.cancel();
        writes.add(run.writes);
      }
      waiting.forEach(run -> writes.add(run.writes));
      running.clear();
      waiting.clear();
    }
    return Future.join(writes).transform(ignored -> calls.close());
  }

  /** Takes a slot: marks the run started, arms its timeout, and calls once that is stored. Caller holds the lock. */
  private Future<Void> start(Active run) {
    long now = System.currentTimeMillis();
    running.add(run);
    run.step(r -> r.started(now).logged(now, "started: calling " + r.model() + " through the proxy (timeout "
        + run.preset.timeoutMs() / 1000 + " s)"));
    run.timer = vertx.setTimer(run.preset.timeoutMs(), id -> timeOut(run));
    Future<Void> stored = persist(run);
    stored.onSuccess(v -> call(run));
    return stored;
  }

  private void call(Active run) {
    synchronized (this) {
      if (run.done) return;
      run.call = calls.post(run.body, run.current.sessionId());
    }
    run.call.answer().onComplete(result -> {
      long now = System.currentTimeMillis();
      if (result.failed()) {
        String why = result.cause().getMessage() == null ? result.cause().getClass().getSimpleName() : result.cause().getMessage();
        finish(run, r -> r.logged(now, "failed: the call through the proxy broke: " + why)
            .ended(now, RunStatus.FAILED, failure("the call through the proxy broke: " + why)));
      } else {
        settle(run, ProxyAnswer.of(result.result()), now);
      }
    });
  }

  private void settle(Active run, ProxyAnswer answer, long now) {
    finish(run, r -> {
      AgentRun answered = r.answered(answer.requestId(), answer.promptTokens(), answer.completionTokens())
          .logged(now, "proxy answered HTTP " + answer.status()
              + (answer.requestId() != null ? " (ledger request " + answer.requestId() + ")" : ""));
      if (!answer.succeeded()) {
        RunError error = answer.error();
        RunError clean = new RunError(error.status(), error.type(), error.code(), scrubber.scrub(error.message()));
        return answered.logged(now, "failed: " + clean.type() + ": " + clean.message()).ended(now, RunStatus.FAILED, clean);
      }
      if (answer.truncated()) answered = answered.logged(now, "the answer was cut short at max_tokens");
      return answered.logged(now, "succeeded: " + answer.promptTokens() + " prompt + " + answer.completionTokens()
          + " completion tokens").succeeded(now, scrubber.scrub(answer.text()));
    });
  }

  private synchronized void timeOut(Active run) {
    long now = System.currentTimeMillis();
    long seconds = run.preset.timeoutMs() / 1000;
    boolean ended = finish(run, r -> r.logged(now, "timed out after " + seconds + " s: the call was cancelled")
        .ended(now, RunStatus.TIMED_OUT, new RunError(504, ErrorType.TIMEOUT, "agent_timeout",
            "The run did not finish within the agent's timeout of " + seconds + " s (timeout_s).")));
    if (ended && run.call != null) run.call.cancel();
  }

  /**
   * Records the run's ending and frees its slot for the next in line. Only the first ending
   * counts (an answer that arrives as the timeout fires changes nothing); returns whether this was it.
   */
  private synchronized boolean finish(Active run, UnaryOperator<AgentRun> ending) {
    if (closed || run.done) return false;
    run.done = true;
    vertx.cancelTimer(run.timer);
    running.remove(run);
    waiting.remove(run);
    run.step(ending);
    persist(run);
    if (running.size() < config.maxConcurrent() && !waiting.isEmpty()) start(waiting.poll());
    return true;
  }

  /** Queues a write of the run as it is now behind its earlier writes (a failed one is logged), and tells the dashboard. */
  private Future<Void> persist(Active run) {
    AgentRun snapshot = run.current;
    events.publish(EventNames.AGENT_RUN, snapshot.summaryJson(System.currentTimeMillis()));
    Future<Void> write = run.writes.transform(previous -> store.save(snapshot));
    run.writes = write.recover(e -> {
      LOG.log(Level.WARNING, "could not store agent run " + snapshot.id() + ": " + e.getMessage());
      return Future.succeededFuture();
    });
    return write;
  }

  private static RunError failure(String why) {
    return new RunError(502, ErrorType.SERVER, "agent_call_failed", "The run failed: " + why + ".");
  }

  /** The request a run sends: the preset's model and parameters, the run's own parameters on top, the preset's system prompt first. */
  static JsonObject requestBody(AgentConfig preset, AgentInput input) {
    JsonObject body = new JsonObject().put("model", preset.model());
    preset.params().forEach(body::put);
    input.params().forEach(field -> body.put(field.getKey(), field.getValue()));
    JsonArray messages = new JsonArray();
    if (!preset.systemPrompt().isBlank()) messages.add(new JsonObject().put("role", "system").put("content", preset.systemPrompt()));
    input.messages().forEach(messages::add);
    return body.put("messages", messages).put("stream", false).copy();
  }

  /** A run while this process holds it: its preset, its request, its latest state. Guarded by the runner. */
  private static final class Active {
    final AgentConfig preset;
    final JsonObject body;
    AgentRun current;
    Future<Void> writes = Future.succeededFuture();
    long timer = -1;
    SelfCalls.Call call;
    boolean done;

    Active(AgentConfig preset, JsonObject body, AgentRun current) {
      this.preset = preset;
      this.body = body;
      this.current = current;
    }

    void step(UnaryOperator<AgentRun> change) {
      current = change.apply(current);
    }
  }
}
