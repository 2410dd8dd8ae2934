package io.kimiproxy.config;

import java.util.Map;
import java.util.Set;

/**
 * A named agent preset: one model call with a fixed system prompt and default parameters.
 *
 * @param model        a model alias of [models]
 * @param systemPrompt sent as the first message of every run ("" for none)
 * @param params       default Chat Completions parameters (temperature, max_tokens...), plain JSON values
 * @param timeoutMs    how long one run may take once it has started
 */
public record AgentConfig(String id, String description, String model, String systemPrompt,
                          Map<String, Object> params, long timeoutMs) {

  /** Request fields the runner sets itself: neither a preset nor a run may override them. */
  public static final Set<String> RESERVED_PARAMS = Set.of("model", "messages", "stream", "stream_options");
}
