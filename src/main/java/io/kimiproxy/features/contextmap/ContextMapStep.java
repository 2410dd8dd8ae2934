package io.kimiproxy.features.contextmap;

import io.kimiproxy.core.events.EventNames;
import io.kimiproxy.core.events.EventSink;
import io.kimiproxy.core.ledger.RequestRecord;
import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.core.model.PromptCount;
import io.kimiproxy.core.tokens.TokenCounter;
import io.kimiproxy.proxy.chain.ChatExchange;
import io.kimiproxy.proxy.chain.ChatStep;
import io.kimiproxy.proxy.chain.Measure;
import java.util.logging.Logger;

/**
 * The context map of what went upstream, for the dashboard: made after the answer, off the
 * request's path (no client waits for a figure only a person reads), stored and published.
 */
public final class ContextMapStep implements ChatStep {
  private static final Logger LOG = Logger.getLogger(ContextMapStep.class.getName());
  private final ContextMapper mapper;
  private final ContextStore store;
  private final Measure measure;
  private final TokenCounter tokens;
  private final EventSink events;

  public ContextMapStep(ContextMapper mapper, ContextStore store, Measure measure, TokenCounter tokens, EventSink events) {
    this.mapper = mapper;
    this.store = store;
    this.measure = measure;
    this.tokens = tokens;
    this.events = events;
  }

  @Override
  public void finished(ChatExchange x, RequestRecord row) {
    ChatRequest request = x.request();
    PromptCount count = x.promptCount();
    if (x.internal() || request == null || count == null) return;
    String countingName = measure.countingName(x);
    ContextMapper.Request mapped = new ContextMapper.Request(x.sessionId(), x.id(), x.startMs(), request.model(),
        x.window().maxContext(), x.window().reservedOutput(), request.messages(), request.tools().definitions(), count);
    measure.work().sized(request.messages(), () -> mapper.map(mapped, x.phase(),
            MemoryDetector.memoryTokens(request.messages(), count.perMessage(), text -> tokens.countText(countingName, text))))
        .onSuccess(map -> {
          store.save(map).onFailure(e -> LOG.warning("context map not stored: " + e.getMessage()));
          events.publish(EventNames.CONTEXT_MAP, map.toJson());
        })
        .onFailure(e -> LOG.warning("context map not made: " + e.getMessage()));
  }
}
