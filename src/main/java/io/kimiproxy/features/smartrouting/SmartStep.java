package io.kimiproxy.features.smartrouting;

import io.kimiproxy.core.events.EventNames;
import io.kimiproxy.core.events.EventSink;
import io.kimiproxy.proxy.chain.ChatExchange;
import io.kimiproxy.proxy.chain.ChatStep;
import io.kimiproxy.proxy.chain.Measure;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.logging.Logger;

/**
 * Smart routing, right after the first measure: a request for a smart alias becomes a request for
 * the candidate that scores best (docs/routing.md), so every later step (context, fallbacks,
 * ledger) sees that candidate as the model asked for. Each decision is published and stored
 * without the request waiting for the write.
 */
public final class SmartStep implements ChatStep {
  private static final Logger LOG = Logger.getLogger(SmartStep.class.getName());
  private final SmartSelector selector;
  private final Measure measure;
  private final RoutingDecisionStore store;
  private final EventSink events;

  public SmartStep(SmartSelector selector, Measure measure, RoutingDecisionStore store, EventSink events) {
    this.selector = selector;
    this.measure = measure;
    this.store = store;
    this.events = events;
  }

  @Override
  public Future<Void> prepare(ChatExchange x) {
    String alias = x.request().model();
    if (!selector.isSmart(alias)) return Future.succeededFuture();
    long prompt = x.promptCount().total();
    SmartSelector.Choice choice = selector.choose(alias, prompt,
        name -> measure.window(name, x.request()).reservedOutput());
    String chosen = choice.chosen().candidate().alias();
    RoutingDecision decision = new RoutingDecision(0, System.currentTimeMillis(), x.id(), x.sessionId(), alias, chosen,
        prompt, candidates(choice));
    events.publish(EventNames.ROUTING_DECISION, decision.toJson());
    store.append(decision).onFailure(e -> LOG.warning("routing decision not stored: " + e.getMessage()));
    return measure.moveTo(x, chosen);
  }

  private static JsonArray candidates(SmartSelector.Choice choice) {
    JsonArray out = new JsonArray();
    for (SmartRouter.Scored s : choice.scored()) {
      out.add(new JsonObject().put("alias", s.candidate().alias()).put("provider", s.candidate().provider())
          .put("score", s.score()).put("headroom", s.headroom()).put("price", s.price()).put("latency", s.latency())
          .put("latency_p50_ms", s.candidate().latencyP50Ms()));
    }
    for (SmartSelector.Skipped s : choice.skipped()) {
      out.add(new JsonObject().put("alias", s.alias()).put("provider", s.provider()).put("skipped", s.reason()));
    }
    return out;
  }
}
