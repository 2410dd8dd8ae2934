package io.kimiproxy.features.compaction;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.events.EventNames;
import io.kimiproxy.core.events.EventSink;
import io.kimiproxy.proxy.chain.ChatExchange;
import io.kimiproxy.proxy.chain.ChatStep;
import io.kimiproxy.proxy.chain.Measure;
import io.kimiproxy.proxy.chain.Window;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * A prompt that does not fit (its tokens plus the reserved output over the window) goes to the
 * alias's first fallback with a window large enough; else it is compacted if compaction is on;
 * what still does not fit is refused as OpenAI refuses it (400 context_length_exceeded).
 */
public final class OverflowStep implements ChatStep {
  private final CompactStep compaction;
  private final Measure measure;
  private final EventSink events;

  public OverflowStep(CompactStep compaction, Measure measure, EventSink events) {
    this.compaction = compaction;
    this.measure = measure;
    this.events = events;
  }

  @Override
  public Future<Void> prepare(ChatExchange x) {
    return fit(x).onSuccess(v -> CompactStep.announce(x));
  }

  private Future<Void> fit(ChatExchange x) {
    if (fits(x)) return Future.succeededFuture();
    String from = x.request().model();
    long needed = x.promptCount().total() + x.window().reservedOutput();
    String fallback = measure.models().largerFallback(from, needed);
    if (fallback != null) {
      Window target = measure.window(fallback, x.request());
      events.publish(EventNames.MODEL_FALLBACK, new JsonObject().put("session", x.sessionId()).put("request_id", x.id())
          .put("from", from).put("to", fallback).put("reason", "context_length")
          .put("prompt_tokens", x.promptCount().total()).put("max_context", target.maxContext()));
      return measure.moveTo(x, fallback).compose(v -> fit(x));
    }
    if (x.internal() || !compaction.enabled()) return Future.failedFuture(exceeded(x));
    return compaction.compactNow(x, "overflow")
        .compose(v -> fits(x) ? Future.succeededFuture() : Future.failedFuture(exceeded(x)));
  }

  private static boolean fits(ChatExchange x) {
    return x.window().fits(x.promptCount().total());
  }

  private static ProxyError exceeded(ChatExchange x) {
    return ProxyError.contextLengthExceeded("This model's maximum context length is " + x.window().maxContext()
        + " tokens. However, your messages resulted in " + x.promptCount().total() + " tokens (with "
        + x.window().reservedOutput() + " reserved for the completion), and compaction could not bring them under "
        + "the limit. Please reduce the length of the messages.");
  }
}
