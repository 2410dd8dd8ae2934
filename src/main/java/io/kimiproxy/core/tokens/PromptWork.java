package io.kimiproxy.core.tokens;

import io.kimiproxy.core.model.PromptCount;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import java.util.concurrent.Callable;

/**
 * Runs prompt-sized work where it belongs: small prompts inline, large ones (counting, scanning,
 * transforming hundreds of kilobytes) on a worker thread so the event loop never stalls.
 */
public final class PromptWork {
  /** Prompts larger than this (characters) are handled on a worker thread, not the event loop. */
  private static final long INLINE_LIMIT = 32_000;

  private final Vertx vertx;
  private final TokenCounter tokens;

  public PromptWork(Vertx vertx, TokenCounter tokens) {
    this.vertx = vertx;
    this.tokens = tokens;
  }

  public Future<PromptCount> count(String model, JsonArray messages, JsonArray tools) {
    return sized(messages, () -> tokens.countPrompt(model, messages, tools));
  }

  /** The work's result, computed inline or on a worker depending on the prompt's size. */
  public <T> Future<T> sized(JsonArray messages, Callable<T> work) {
    if (TokenCounter.roughSize(messages) > INLINE_LIMIT) return vertx.executeBlocking(work, false);
    try {
      return Future.succeededFuture(work.call());
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }
}
