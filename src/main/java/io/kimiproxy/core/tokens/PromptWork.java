package io.kimiproxy.core.tokens;

import io.kimiproxy.core.model.MessageList;
import io.kimiproxy.core.model.PromptCount;
import io.kimiproxy.core.model.Tools;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;

/**
 * Runs prompt-sized work where it belongs: small prompts inline, anything larger on a worker
 * thread, so the event loop never waits on counting, scanning or transforming a long conversation.
 * Per-content caches make a warm history cheap, but a new message may be a megabyte of tool
 * output, and the first turn of a resumed conversation is all new.
 */
public final class PromptWork {
  /** Prompts larger than this (characters, about) are handled on a worker thread, not the event loop. */
  static final long INLINE_LIMIT = 16_000;

  private final Vertx vertx;
  private final TokenCounter tokens;

  public PromptWork(Vertx vertx, TokenCounter tokens) {
    this.vertx = vertx;
    this.tokens = tokens;
  }

  public Future<PromptCount> count(String model, MessageList messages, Tools tools) {
    return sized(messages, () -> tokens.countPrompt(model, messages, tools));
  }

  /** The work's result, computed inline or on a worker depending on the prompt's size. */
  public <T> Future<T> sized(MessageList messages, Callable<T> work) {
    if (messages.weight() > INLINE_LIMIT) return vertx.executeBlocking(work, false);
    try {
      return Future.succeededFuture(work.call());
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }
}
