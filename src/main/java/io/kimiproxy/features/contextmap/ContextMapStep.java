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
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The context map of what went upstream, for the dashboard: made after the answer, off the
 * request's path (no client waits for a figure only a person reads), stored and published. A
 * session's map is made at most once per {@link #EVERY_MS}: the first request of a burst at once,
 * the latest of the burst when the interval ends, so an agent sending many requests a second
 * costs one map a second, and the stored map is always the latest request's in the end.
 */
public final class ContextMapStep implements ChatStep {
  static final long EVERY_MS = 1_000;
  private static final Logger LOG = Logger.getLogger(ContextMapStep.class.getName());
  private final ContextMapper mapper;
  private final ContextStore store;
  private final Measure measure;
  private final TokenCounter tokens;
  private final EventSink events;
  private final Vertx vertx;
  /** Sessions mapped within the interval, with the request that came since (null when none did). */
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  private static final class Window {
    ContextMapper.Request latest;
    String countingName;
  }

  public ContextMapStep(ContextMapper mapper, ContextStore store, Measure measure, TokenCounter tokens, EventSink events,
                        Vertx vertx) {
    this.mapper = mapper;
    this.store = store;
    this.measure = measure;
    this.tokens = tokens;
    this.events = events;
    this.vertx = vertx;
  }

  @Override
  public void finished(ChatExchange x, RequestRecord row) {
    ChatRequest request = x.request();
    PromptCount count = x.promptCount();
    if (x.internal() || request == null || count == null) return;
    ContextMapper.Request mapped = new ContextMapper.Request(x.sessionId(), x.id(), x.startMs(), request.model(),
        x.window().maxContext(), x.window().reservedOutput(), request.messages(), request.tools().definitions(), count,
        x.phase());
    String countingName = measure.countingName(x);
    Window open = new Window();
    Window existing = windows.putIfAbsent(x.sessionId(), open);
    if (existing != null) {
      synchronized (existing) {
        existing.latest = mapped;
        existing.countingName = countingName;
      }
      return;
    }
    make(mapped, countingName);
    vertx.setTimer(EVERY_MS, id -> closeWindow(x.sessionId(), open));
  }

  /** The interval ends: the request that came during it, if any, is mapped, and a new interval opens. */
  private void closeWindow(String session, Window window) {
    ContextMapper.Request latest;
    String countingName;
    synchronized (window) {
      latest = window.latest;
      countingName = window.countingName;
      window.latest = null;
    }
    if (latest == null) {
      windows.remove(session, window);
      return;
    }
    make(latest, countingName);
    vertx.setTimer(EVERY_MS, id -> closeWindow(session, window));
  }

  private void make(ContextMapper.Request r, String countingName) {
    measure.work().sized(r.messages(), () -> mapper.map(r,
            MemoryDetector.memoryTokens(r.messages(), r.count().perMessage(), text -> tokens.countText(countingName, text))))
        .onSuccess(map -> {
          store.save(map).onFailure(e -> LOG.warning("context map not stored: " + e.getMessage()));
          events.publish(EventNames.CONTEXT_MAP, map.toJson());
        })
        .onFailure(e -> LOG.warning("context map not made: " + e.getMessage()));
  }
}
