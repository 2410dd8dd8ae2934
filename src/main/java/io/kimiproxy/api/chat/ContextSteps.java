package io.kimiproxy.api.chat;

import io.kimiproxy.core.context.ContextStore;
import io.kimiproxy.core.events.EventNames;
import io.kimiproxy.core.events.EventSink;
import io.kimiproxy.core.model.PromptCount;
import io.kimiproxy.core.sanitizer.SanitizerCounts;
import io.kimiproxy.core.sanitizer.SanitizerStore;
import io.kimiproxy.core.tokens.TokenCounter;
import io.kimiproxy.features.context.ContextMapper;
import io.kimiproxy.features.context.ContextModels;
import io.kimiproxy.features.context.PhaseTracker;
import io.kimiproxy.features.memory.MemoryDetector;
import io.kimiproxy.features.sanitizer.MaskArchive;
import io.kimiproxy.features.sanitizer.Sanitizer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;

/**
 * The pipeline's context steps, between measuring a prompt and routing it: each takes the
 * exchange, lets one feature work on the request that will go upstream, and re-measures what
 * changed (only changed messages cost anything: counts are cached per message).
 */
public final class ContextSteps {
  private final PromptMeasure measure;
  private final TokenCounter tokens;
  private final ContextModels models;
  private final PhaseTracker phases;
  private final ContextMapper mapper;
  private final ContextStore store;
  private final EventSink events;
  private final Sanitizer sanitizer;
  private final MaskArchive masks;
  private final SanitizerStore sanitizerStore;

  public ContextSteps(Vertx vertx, TokenCounter tokens, ContextModels models, PhaseTracker phases,
                      ContextMapper mapper, ContextStore store, EventSink events,
                      Sanitizer sanitizer, SanitizerStore sanitizerStore) {
    this.measure = new PromptMeasure(vertx, tokens);
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
    return measure.sized(messages, () -> sanitizer.apply(x.sessionId, x.startMs, messages, model)).compose(result -> {
      SanitizerCounts counts = result.counts();
      if (counts.isZero()) return Future.succeededFuture(x);
      x.request = x.request.withMessages(result.messages());
      Future<Void> saved = masks.keep(result.masked());
      if (!x.internal()) {
        saved = saved.compose(v -> sanitizerStore.addCounts(x.sessionId, counts));
        events.publish(EventNames.SANITIZER, counts.toJson().put("session", x.sessionId).put("request_id", x.id));
      }
      return saved.compose(v -> remeasure(x));
    });
  }

  /** The session's phase from this request's fill (hysteresis, events). */
  Future<ChatExchange> observePhase(ChatExchange x) {
    if (x.internal() || x.maxContext == 0) return Future.succeededFuture(x);
    return phases.observe(x.sessionId, fill(x)).map(t -> {
      x.phase = t.to();
      return x;
    });
  }

  /** Stores and publishes the map of what goes upstream. */
  Future<ChatExchange> map(ChatExchange x) {
    if (x.internal()) return Future.succeededFuture(x);
    JsonArray messages = x.request.messages();
    PromptCount count = x.promptCount;
    String countingName = models.countingName(x.request.model());
    ContextMapper.Request request = new ContextMapper.Request(x.sessionId, x.id, x.startMs, x.request.model(),
        x.maxContext, x.reservedOutput, messages, x.request.tools(), count);
    return measure.sized(messages, () -> mapper.map(request, x.phase,
            MemoryDetector.memoryTokens(messages, count.perMessage(), text -> tokens.countText(countingName, text))))
        .compose(map -> store.save(map).map(map))
        .map(map -> {
          events.publish(EventNames.CONTEXT_MAP, map.toJson());
          return x;
        });
  }

  /** Measures the request as it now stands (after a step changed it). */
  Future<ChatExchange> remeasure(ChatExchange x) {
    return measure.count(models.countingName(x.request.model()), x.request.messages(), x.request.tools())
        .map(count -> {
          x.promptCount = count;
          return x;
        });
  }

  private static Long clientMaxTokens(ChatExchange x) {
    Object value = x.request.body().getValue("max_completion_tokens");
    if (!(value instanceof Number)) value = x.request.body().getValue("max_tokens");
    return value instanceof Number n ? n.longValue() : null;
  }

  private static double fill(ChatExchange x) {
    return x.maxContext == 0 ? 0.0 : (double) x.promptCount.total() / x.maxContext;
  }
}
