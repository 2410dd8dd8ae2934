package io.kimiproxy.api.chat;

import io.kimiproxy.features.contextmap.ContextStore;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.events.EventNames;
import io.kimiproxy.core.events.EventSink;
import io.kimiproxy.core.model.PromptCount;
import io.kimiproxy.features.sanitizer.SanitizerCounts;
import io.kimiproxy.features.sanitizer.SanitizerStore;
import io.kimiproxy.core.tokens.TokenCounter;
import io.kimiproxy.features.compaction.Compactor;
import io.kimiproxy.features.contextmap.ContextMapper;
import io.kimiproxy.proxy.routing.ContextModels;
import io.kimiproxy.features.contextmap.PhaseTracker;
import io.kimiproxy.core.tokens.PromptWork;
import io.kimiproxy.features.contextmap.MemoryDetector;
import io.kimiproxy.features.sanitizer.MaskArchive;
import io.kimiproxy.features.sanitizer.Sanitizer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.logging.Logger;

/**
 * The pipeline's context steps, between measuring a prompt and routing it: each takes the
 * exchange, lets one feature work on the request that will go upstream, and re-measures what
 * changed (only changed messages cost anything: counts are cached per message).
 */
public final class ContextSteps {
  private static final Logger LOG = Logger.getLogger(ContextSteps.class.getName());
  static final String COMPACTED_HEADER = "X-Kimi-Proxy-Compacted";
  private final PromptWork work;
  private final TokenCounter tokens;
  private final ContextModels models;
  private final PhaseTracker phases;
  private final ContextMapper mapper;
  private final ContextStore store;
  private final EventSink events;
  private final Sanitizer sanitizer;
  private final MaskArchive masks;
  private final SanitizerStore sanitizerStore;
  private final Compactor compactor;

  public ContextSteps(PromptWork work, TokenCounter tokens, ContextModels models, PhaseTracker phases,
                      ContextMapper mapper, ContextStore store, EventSink events,
                      Sanitizer sanitizer, SanitizerStore sanitizerStore, Compactor compactor) {
    this.work = work;
    this.compactor = compactor;
    this.sanitizer = sanitizer;
    this.masks = new MaskArchive(sanitizerStore);
    this.sanitizerStore = sanitizerStore;
    this.tokens = tokens;
    this.models = models;
    this.phases = phases;
    this.mapper = mapper;
    this.store = store;
    this.events = events;
  }

  /**
   * Prompt tokens before sending (the estimate used when a provider reports no usage), and the
   * window they must fit: the model's max_context less the room kept for the answer.
   */
  Future<ChatExchange> measure(ChatExchange x) {
    String model = x.request.model();
    x.maxContext = models.maxContext(model);
    x.reservedOutput = models.reservedOutput(model, clientMaxTokens(x));
    return remeasure(x);
  }

  /**
   * Redacts secrets and masks large tool outputs; the masked originals are stored before the
   * request goes on, so a reference the model sees can always be read back.
   */
  Future<ChatExchange> sanitize(ChatExchange x) {
    JsonArray messages = x.request.messages();
    String model = models.countingName(x.request.model());
    return work.sized(messages, () -> sanitizer.apply(x.sessionId, x.startMs, messages, model)).compose(result -> {
      SanitizerCounts counts = result.counts();
      if (counts.isZero()) return Future.succeededFuture(x);
      x.steps.sanitized(counts.masked(), counts.secretsRedacted());
      x.withMessages(result.messages());
      Future<Void> saved = masks.keep(result.masked());
      if (!x.internal()) {
        saved = saved.compose(v -> bestEffort(sanitizerStore.addCounts(x.sessionId, counts), "sanitizer counts"));
        events.publish(EventNames.SANITIZER, counts.toJson().put("session", x.sessionId).put("request_id", x.id));
      }
      return saved.compose(v -> remeasure(x));
    });
  }

  /**
   * Puts the session's stored compaction back in place (prefix-stable), updates the phase from
   * the resulting fill, and compacts further when one is due (asked for, or automatic in
   * CONVERGENCE within the cooldown and the cap). The proxy's own calls are never compacted.
   */
  Future<ChatExchange> compact(ChatExchange x) {
    if (x.internal()) return Future.succeededFuture(x);
    x.tokensBeforeCompaction = x.promptCount.total();
    return compactor.reapply(x.sessionId, x.clientMessages, x.request.messages())
        .compose(applied -> {
          x.compaction = applied;
          return applied.record() == null ? Future.succeededFuture(x) : remeasure(x.withMessages(applied.messages()));
        })
        .compose(this::observePhase)
        .compose(v -> compactor.due(x.sessionId, x.phase, System.currentTimeMillis()))
        .compose(trigger -> trigger == null ? Future.succeededFuture(x) : compactNow(x, trigger))
        .onSuccess(v -> compactor.remember(x.sessionId, x.request.messages(), x.request.tools(),
            models.countingName(x.request.model())));
  }

  /**
   * A prompt that does not fit (its tokens plus the reserved output over the window) goes to the
   * alias's first fallback with a window large enough; else it is compacted if compaction is on;
   * what still does not fit is refused as OpenAI refuses it (400 context_length_exceeded).
   */
  Future<ChatExchange> fit(ChatExchange x) {
    if (fits(x)) return Future.succeededFuture(x);
    String from = x.request.model();
    long needed = x.promptCount.total() + x.reservedOutput;
    String fallback = models.largerFallback(from, needed);
    if (fallback != null) {
      x.request = x.request.withModel(fallback);
      x.maxContext = models.maxContext(fallback);
      x.reservedOutput = models.reservedOutput(fallback, clientMaxTokens(x));
      events.publish(EventNames.MODEL_FALLBACK, new JsonObject().put("session", x.sessionId).put("request_id", x.id)
          .put("from", from).put("to", fallback).put("reason", "context_length")
          .put("prompt_tokens", x.promptCount.total()).put("max_context", x.maxContext));
      return remeasure(x).compose(this::fit);
    }
    if (x.internal() || !compactor.enabled()) return Future.failedFuture(exceeded(x));
    return compactNow(x, "overflow").compose(y -> fits(y) ? Future.succeededFuture(y) : Future.failedFuture(exceeded(y)));
  }

  private Future<ChatExchange> compactNow(ChatExchange x, String trigger) {
    return compactor.compact(x.sessionId, trigger, x.clientMessages, x.compaction, System.currentTimeMillis(),
            models.countingName(x.request.model()), x.request.tools())
        .compose(c -> {
          if (c == null) return Future.succeededFuture(x);
          x.compaction = new Compactor.Applied(c.messages(), c.record());
          return remeasure(x.withMessages(c.messages()));
        });
  }

  private static boolean fits(ChatExchange x) {
    return x.maxContext == 0 || x.promptCount.total() + x.reservedOutput <= x.maxContext;
  }

  private static ProxyError exceeded(ChatExchange x) {
    return ProxyError.contextLengthExceeded("This model's maximum context length is " + x.maxContext + " tokens. However, "
        + "your messages resulted in " + x.promptCount.total() + " tokens (with " + x.reservedOutput
        + " reserved for the completion), and compaction could not bring them under the limit. "
        + "Please reduce the length of the messages.");
  }

  /** The session's phase from this request's fill (hysteresis, events). */
  private Future<ChatExchange> observePhase(ChatExchange x) {
    if (x.maxContext == 0) return Future.succeededFuture(x);
    return phases.observe(x.sessionId, fill(x)).map(t -> {
      x.phase = t.to();
      return x;
    });
  }

  /**
   * Stores and publishes the map of what goes upstream, and tells the client what compaction
   * saved (the only trace of it in the reply).
   */
  Future<ChatExchange> map(ChatExchange x) {
    if (x.internal()) return Future.succeededFuture(x);
    if (x.compaction != null && x.compaction.record() != null) {
      x.steps.compacted(x.tokensBeforeCompaction - x.promptCount.total());
      x.ctx.response().putHeader(COMPACTED_HEADER, String.valueOf(Math.max(0, x.tokensBeforeCompaction - x.promptCount.total())));
    }
    JsonArray messages = x.request.messages();
    PromptCount count = x.promptCount;
    String countingName = models.countingName(x.request.model());
    ContextMapper.Request request = new ContextMapper.Request(x.sessionId, x.id, x.startMs, x.request.model(),
        x.maxContext, x.reservedOutput, messages, x.request.tools(), count);
    return work.sized(messages, () -> mapper.map(request, x.phase,
            MemoryDetector.memoryTokens(messages, count.perMessage(), text -> tokens.countText(countingName, text))))
        .compose(map -> bestEffort(store.save(map), "context map").map(map))
        .map(map -> {
          events.publish(EventNames.CONTEXT_MAP, map.toJson());
          return x;
        });
  }

  /** Measures the request as it now stands (after a step changed it). */
  Future<ChatExchange> remeasure(ChatExchange x) {
    return work.count(models.countingName(x.request.model()), x.request.messages(), x.request.tools())
        .map(count -> {
          x.promptCount = count;
          return x;
        });
  }

  /**
   * Bookkeeping writes (counts, maps) must not fail the user's request: a busy database costs a
   * dashboard figure, logged, not an answer.
   */
  private static Future<Void> bestEffort(Future<Void> write, String what) {
    return write.recover(e -> {
      LOG.warning(what + " not stored: " + e.getMessage());
      return Future.succeededFuture();
    });
  }

  static Long clientMaxTokens(ChatExchange x) {
    Object value = x.request.body().getValue("max_completion_tokens");
    if (!(value instanceof Number)) value = x.request.body().getValue("max_tokens");
    return value instanceof Number n ? n.longValue() : null;
  }

  private static double fill(ChatExchange x) {
    return x.maxContext == 0 ? 0.0 : (double) x.promptCount.total() / x.maxContext;
  }
}
