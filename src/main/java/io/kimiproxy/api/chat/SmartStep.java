package io.kimiproxy.api.chat;

import io.kimiproxy.core.events.EventNames;
import io.kimiproxy.core.events.EventSink;
import io.kimiproxy.features.smartrouting.RoutingDecision;
import io.kimiproxy.features.smartrouting.RoutingDecisionStore;
import io.kimiproxy.proxy.routing.ContextModels;
import io.kimiproxy.features.smartrouting.SmartRouter;
import io.kimiproxy.features.smartrouting.SmartSelector;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.logging.Logger;

/**
 * The pipeline's smart-routing step, right after the first measure: a request for a smart alias
 * becomes a request for the candidate that scores best (docs/routing.md), so every later step
 * (context, fallbacks, ledger) sees that candidate as the model asked for. Each decision is
 * published and stored without the request waiting for the write.
 */
public final class SmartStep {
  private static final Logger LOG = Logger.getLogger(SmartStep.class.getName());
  private final SmartSelector selector;
  private final ContextModels models;
  private final RoutingDecisionStore store;
  private final EventSink events;
  private final ContextSteps context;

  public SmartStep(SmartSelector selector, ContextModels models, RoutingDecisionStore store, EventSink events,
                   ContextSteps context) {
    this.selector = selector;
    this.models = models;
    this.store = store;
    this.events = events;
    this.context = context;
  }

  Future<ChatExchange> choose(ChatExchange x) {
    String alias = x.request.model();
    if (!selector.isSmart(alias)) return Future.succeededFuture(x);
    Long clientMax = ContextSteps.clientMaxTokens(x);
    long prompt = x.promptCount.total();
    SmartSelector.Choice choice = selector.choose(alias, prompt, name -> models.reservedOutput(name, clientMax));
    String chosen = choice.chosen().candidate().alias();
    RoutingDecision decision = new RoutingDecision(0, System.currentTimeMillis(), x.id, x.sessionId, alias, chosen,
        prompt, candidates(choice));
    events.publish(EventNames.ROUTING_DECISION, decision.toJson());
    store.append(decision).onFailure(e -> LOG.warning("routing decision not stored: " + e.getMessage()));
    x.request = x.request.withModel(chosen);
    x.maxContext = models.maxContext(chosen);
    x.reservedOutput = models.reservedOutput(chosen, clientMax);
    return context.remeasure(x);
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
