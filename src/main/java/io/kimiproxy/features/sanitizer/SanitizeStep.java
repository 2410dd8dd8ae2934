package io.kimiproxy.features.sanitizer;

import io.kimiproxy.core.events.EventNames;
import io.kimiproxy.core.events.EventSink;
import io.kimiproxy.proxy.chain.ChatExchange;
import io.kimiproxy.proxy.chain.ChatStep;
import io.kimiproxy.proxy.chain.Measure;
import io.vertx.core.Future;
import java.util.logging.Logger;

/**
 * Redacts secrets and masks large tool outputs in what goes upstream. The masked originals are
 * stored before the request goes on, so a reference the model sees can always be read back.
 */
public final class SanitizeStep implements ChatStep {
  private static final Logger LOG = Logger.getLogger(SanitizeStep.class.getName());
  private final Sanitizer sanitizer;
  private final MaskArchive masks;
  private final SanitizerStore store;
  private final Measure measure;
  private final EventSink events;

  public SanitizeStep(Sanitizer sanitizer, SanitizerStore store, Measure measure, EventSink events) {
    this.sanitizer = sanitizer;
    this.masks = new MaskArchive(store);
    this.store = store;
    this.measure = measure;
    this.events = events;
  }

  @Override
  public Future<Void> prepare(ChatExchange x) {
    String model = measure.countingName(x);
    return measure.work().sized(x.request().messages(),
        () -> sanitizer.apply(x.sessionId(), x.startMs(), x.request().messages(), model)).compose(result -> {
          SanitizerCounts counts = result.counts();
          if (counts.isZero()) return Future.succeededFuture();
          x.request(x.request().withMessages(result.messages()));
          x.steps().sanitized(counts.masked(), counts.secretsRedacted());
          if (!x.internal()) {
            // Counts are a dashboard figure: written without the request waiting; a busy database
            // costs the figure, logged, not the answer.
            store.addCounts(x.sessionId(), counts).onFailure(e -> LOG.warning("sanitizer counts not stored: " + e.getMessage()));
            events.publish(EventNames.SANITIZER, counts.toJson().put("session", x.sessionId()).put("request_id", x.id()));
          }
          // The originals are stored before the request goes on: a reference the model sees must resolve.
          return masks.keep(result.masked()).compose(v -> measure.remeasure(x));
        });
  }
}
