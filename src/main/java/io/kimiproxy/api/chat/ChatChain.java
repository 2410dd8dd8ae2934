package io.kimiproxy.api.chat;

import io.kimiproxy.proxy.chain.ChatStep;
import java.util.List;

/**
 * The steps of the chat chain, in the order they act: read here, in one place, what happens to
 * every request before the providers are called (prepare), at each call (admit), on the answer's
 * way back (watch, outermost last) and after it (finished).
 */
public record ChatChain(List<ChatStep> steps) {

  /**
   * @param clients    the client monitor: in flight, current task, how it ended
   * @param measure    the model's window and the prompt's tokens
   * @param smart      a smart alias becomes its best-scoring candidate
   * @param sanitize   secrets redacted, bulky tool outputs masked
   * @param compact    stored compactions re-applied; a new one when due
   * @param overflow   a prompt too large: a larger fallback, a compaction, or context_length_exceeded
   * @param contextMap the map of what went upstream, made after the answer
   * @param route      the model's provider routes, fallbacks after it
   * @param guardrails tool calls judged on the way back
   * @param cache      answered from the response cache, or kept for next time (sees what the client saw)
   * @param spending   budgets and rate limits before each provider call
   */
  public static ChatChain of(ChatStep clients, ChatStep measure, ChatStep smart, ChatStep sanitize, ChatStep compact,
                             ChatStep overflow, ChatStep contextMap, ChatStep route, ChatStep guardrails,
                             ChatStep cache, ChatStep spending) {
    return new ChatChain(List.of(clients, measure, smart, sanitize, compact, overflow, contextMap, route, guardrails,
        cache, spending));
  }
}
