package io.kimiproxy.config;

/**
 * Switches for OpenAI-compatible servers that reject parts of OpenAI's request format. Null means
 * "not set in the config": the wire adapter then uses what it knows about the provider.
 *
 * @param streamOptions       whether the server accepts {@code stream_options} (Mistral answers 422)
 * @param maxCompletionTokens whether it accepts {@code max_completion_tokens} rather than only {@code max_tokens}
 */
public record Compat(Boolean streamOptions, Boolean maxCompletionTokens) {

  /** Nothing set: the adapter's knowledge of the provider decides. */
  public static final Compat UNSET = new Compat(null, null);
}
