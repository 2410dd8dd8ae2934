package io.kimiproxy.features.guardrails;

import io.kimiproxy.config.GuardrailsConfig;
import io.kimiproxy.core.events.EventNames;
import io.kimiproxy.core.events.EventSink;
import io.kimiproxy.core.util.SecretScrubber;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * Tool-call guardrails ("auto-accept rules"): classifies each tool call a model returns, judges it
 * by the rule of its type, records the decision and publishes an event for each call flagged or
 * blocked. The rules start from config.toml and can be changed and switched off at runtime (not
 * written back: a restart returns to the file).
 *
 * <p>Decisions are written one after another off the request path; a reader calls
 * {@link #flush()} first so that it sees every decision already made.
 */
public final class Guardrails implements ToolCallInspector {
  private static final Logger LOG = Logger.getLogger(Guardrails.class.getName());
  private static final int MAX_PENDING_WRITES = 10_000;

  private final GuardActionStore store;
  private final EventSink events;
  private final Previews previews;
  private volatile CompiledRules rules;
  private Future<Void> writes = Future.succeededFuture(); // guarded by this
  private int pendingWrites; // guarded by this
  private long droppedWrites; // guarded by this

  public Guardrails(GuardrailsConfig config, GuardActionStore store, EventSink events, SecretScrubber scrubber) {
    this.rules = new CompiledRules(config);
    this.store = store;
    this.events = events;
    this.previews = new Previews(scrubber);
  }

  @Override
  public ToolCallInspection open(ToolCallContext context) {
    CompiledRules current = rules;
    return current.config().enabled() ? new Inspection(current, context) : null;
  }

  public GuardrailsConfig config() {
    return rules.config();
  }

  /**
   * Applies a change to the rules and returns the new ones; a change that throws (an invalid rule)
   * leaves them as they were. Answers being inspected keep the rules they started with.
   */
  public synchronized GuardrailsConfig update(UnaryOperator<GuardrailsConfig> change) {
    rules = new CompiledRules(change.apply(rules.config()));
    return rules.config();
  }

  /** Completes when every decision made so far is stored (or its failure logged). */
  public synchronized Future<Void> flush() {
    return writes;
  }

  public Future<List<GuardActionRecord>> actions(String sessionId, int limit) {
    return flush().compose(v -> store.latest(sessionId, limit));
  }

  public Future<JsonObject> stats(String sessionId) {
    return flush().compose(v -> store.counts(sessionId)).map(counts -> GuardStats.toJson(config().enabled(), counts));
  }

  private synchronized void remember(GuardActionRecord action) {
    if (pendingWrites >= MAX_PENDING_WRITES) {
      // The database is far behind (or down): keep the request path free, say so now and then.
      if (droppedWrites++ % 1000 == 0) LOG.warning("guardrail history is " + MAX_PENDING_WRITES + " writes behind: dropping decisions");
      return;
    }
    pendingWrites++;
    writes = writes.transform(ignored -> store.append(action)).transform(done -> {
      if (done.failed()) LOG.warning("guardrail decision not stored: " + done.cause().getMessage());
      synchronized (this) {
        pendingWrites--;
      }
      return Future.succeededFuture();
    });
  }

  /** The rules of one answer, fixed when it began. */
  private final class Inspection implements ToolCallInspection {
    private final CompiledRules answerRules;
    private final ToolCallContext context;

    Inspection(CompiledRules answerRules, ToolCallContext context) {
      this.answerRules = answerRules;
      this.context = context;
    }

    @Override
    public boolean mayBlock() {
      return answerRules.mayBlock();
    }

    @Override
    public ToolCallVerdict inspect(ToolCall call) {
      ClassifiedCall classified = ToolClassifier.classify(call.name(), call.arguments());
      Judgement judgement = answerRules.judge(classified);
      String arguments = call.arguments() == null ? "" : call.arguments();
      GuardActionRecord action = new GuardActionRecord(0, System.currentTimeMillis(), context.requestId(),
          context.sessionId(), context.client(), context.model(), context.stream(), call.index(), call.id(),
          call.name(), classified.type(), judgement.decision(), judgement.rule(), judgement.pattern(),
          judgement.reason(), previews.preview(classified), arguments.getBytes(StandardCharsets.UTF_8).length);
      remember(action);
      if (judgement.decision() != GuardDecision.ALLOWED) {
        if (context.tally() != null) context.tally().guarded(judgement.decision() == GuardDecision.BLOCKED);
        JsonObject event = action.toJson();
        event.remove("id");
        events.publish(EventNames.GUARDRAIL, event);
      }
      return judgement.decision() == GuardDecision.BLOCKED
          ? ToolCallVerdict.block(previews.notice(classified, judgement)) : ToolCallVerdict.PASS;
    }
  }
}
