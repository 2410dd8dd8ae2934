package io.kimiproxy.features.compaction;

import io.kimiproxy.features.contextmap.PhaseTracker;
import io.kimiproxy.proxy.chain.Attribute;
import io.kimiproxy.proxy.chain.ChatExchange;
import io.kimiproxy.proxy.chain.ChatStep;
import io.kimiproxy.proxy.chain.Measure;
import io.vertx.core.Future;

/**
 * Puts the session's stored compaction back in place (prefix-stable), updates the phase from the
 * resulting fill, and compacts further when one is due (asked for, or automatic in CONVERGENCE
 * within the cooldown and the cap). The proxy's own calls are never compacted.
 */
public final class CompactStep implements ChatStep {
  static final String COMPACTED_HEADER = "X-Kimi-Proxy-Compacted";
  /** The compaction in the request as it goes upstream, and the prompt's tokens before it. */
  static final Attribute<Applied> APPLIED = new Attribute<>("compaction");

  private final Compactor compactor;
  private final PhaseTracker phases;
  private final Measure measure;

  record Applied(Compactor.Applied compaction, long tokensBefore) {}

  public CompactStep(Compactor compactor, PhaseTracker phases, Measure measure) {
    this.compactor = compactor;
    this.phases = phases;
    this.measure = measure;
  }

  @Override
  public Future<Void> prepare(ChatExchange x) {
    if (x.internal()) return Future.succeededFuture();
    long before = x.promptCount().total();
    return compactor.reapply(x.sessionId(), x.clientMessages(), x.request().messages())
        .compose(applied -> {
          x.put(APPLIED, new Applied(applied, before));
          if (applied.record() == null) return Future.succeededFuture();
          x.request(x.request().withMessages(applied.messages()));
          return measure.remeasure(x);
        })
        .compose(v -> observePhase(x))
        .compose(v -> compactor.due(x.sessionId(), x.phase(), System.currentTimeMillis()))
        .compose(trigger -> trigger == null ? Future.succeededFuture() : compactNow(x, trigger))
        .onSuccess(v -> compactor.remember(x.sessionId(), x.request().messages(), x.request().tools(),
            measure.countingName(x)));
  }

  /** Compacts the request as it stands now; nothing changes when there is nothing worth compacting. */
  Future<Void> compactNow(ChatExchange x, String trigger) {
    Applied applied = x.get(APPLIED);
    Compactor.Applied current = applied == null ? new Compactor.Applied(x.request().messages(), null) : applied.compaction();
    long before = applied == null ? x.promptCount().total() : applied.tokensBefore();
    return compactor.compact(x.sessionId(), trigger, x.clientMessages(), current, System.currentTimeMillis(),
            measure.countingName(x), x.request().tools())
        .compose(c -> {
          if (c == null) return Future.succeededFuture();
          x.put(APPLIED, new Applied(new Compactor.Applied(c.messages(), c.record()), before));
          x.request(x.request().withMessages(c.messages()));
          return measure.remeasure(x);
        });
  }

  /** Tells the client what compaction saved: the only trace of it in the reply. */
  static void announce(ChatExchange x) {
    Applied applied = x.get(APPLIED);
    if (applied == null || applied.compaction().record() == null) return;
    long saved = Math.max(0, applied.tokensBefore() - x.promptCount().total());
    x.response().putHeader(COMPACTED_HEADER, String.valueOf(saved));
    x.steps().compacted(saved);
  }

  boolean enabled() {
    return compactor.enabled();
  }

  /** The session's phase from this request's fill (hysteresis, events). */
  private Future<Void> observePhase(ChatExchange x) {
    if (x.window().maxContext() == 0) return Future.succeededFuture();
    return phases.observe(x.sessionId(), x.window().fill(x.promptCount().total())).map(t -> {
      x.phase(t.to());
      return null;
    });
  }
}
