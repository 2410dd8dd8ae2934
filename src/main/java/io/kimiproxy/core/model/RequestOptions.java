package io.kimiproxy.core.model;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What a request asks of the answer besides its conversation, in the neutral model. Every field
 * is optional (null when the client did not set it).
 *
 * @param maxTokens         the most tokens the answer may take (OpenAI max_completion_tokens / max_tokens,
 *                          Anthropic max_tokens, Responses max_output_tokens)
 * @param stop              stop sequences (empty when none)
 * @param n                 how many choices (OpenAI only)
 * @param parallelToolCalls whether several tools may be called in one turn
 * @param reasoningEffort   OpenAI's effort name (minimal, low, medium, high)
 * @param thinking          Anthropic's thinking setting as the client wrote it
 * @param responseFormat    OpenAI's response_format (json_object, json_schema)
 */
public record RequestOptions(Long maxTokens, Double temperature, Double topP, List<String> stop, Integer n,
                             ToolChoice toolChoice, Boolean parallelToolCalls, String reasoningEffort,
                             JsonObject thinking, JsonObject responseFormat, Long seed) {
  public static final RequestOptions NONE = new RequestOptions(null, null, null, List.of(), null, null, null, null,
      null, null, null);

  public RequestOptions {
    stop = stop == null ? List.of() : List.copyOf(stop);
  }

  /** The same request given a single answer at temperature 0 is a function of its input (the cache's rule). */
  public boolean deterministic() {
    return temperature != null && temperature == 0.0 && (n == null || n == 1);
  }
}
