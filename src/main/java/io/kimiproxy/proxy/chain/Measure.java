package io.kimiproxy.proxy.chain;

import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.core.tokens.PromptWork;
import io.kimiproxy.proxy.routing.ContextModels;
import io.vertx.core.Future;

/**
 * The step that measures a request: the window its model offers (less the room kept for the
 * answer) and the prompt's tokens, the estimate the ledger falls back on when a provider reports
 * no usage. Steps that change the request or its model measure again through {@link #remeasure}
 * and {@link #window}; only changed messages cost anything, counts being cached per message.
 */
public final class Measure implements ChatStep {
  private final PromptWork work;
  private final ContextModels models;

  public Measure(PromptWork work, ContextModels models) {
    this.work = work;
    this.models = models;
  }

  @Override
  public Future<Void> prepare(ChatExchange x) {
    x.window(window(x.request().model(), x.request()));
    return remeasure(x);
  }

  /** The window of {@code model} for this request (its own answer limit, else the configured reserve). */
  public Window window(String model, ChatRequest request) {
    return new Window(models.maxContext(model), models.reservedOutput(model, request.options().maxTokens()));
  }

  /** The request is now for {@code model} (a smart choice, a larger fallback): its window and count follow. */
  public Future<Void> moveTo(ChatExchange x, String model) {
    x.request(x.request().withModel(model));
    x.window(window(model, x.request()));
    return remeasure(x);
  }

  /** Measures the request as it now stands (after a step changed it). */
  public Future<Void> remeasure(ChatExchange x) {
    ChatRequest request = x.request();
    return work.count(models.countingName(request.model()), request.messages(), request.tools())
        .map(count -> {
          x.promptCount(count);
          return null;
        });
  }

  /** The model whose vocabulary counts this request's tokens. */
  public String countingName(ChatExchange x) {
    return models.countingName(x.request().model());
  }

  public ContextModels models() {
    return models;
  }

  public PromptWork work() {
    return work;
  }
}
