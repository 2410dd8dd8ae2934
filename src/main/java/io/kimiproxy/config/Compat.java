package io.kimiproxy.config;

/**
 * Switches for OpenAI-compatible servers that reject parts of OpenAI's request format. Null means
 * "not set in the config": the wire adapter then uses what it knows about the provider.
 *
 * @param streamOptions       whether the server accepts {@code stream_options} (Mistral answers 422)
 * @param maxCompletionTokens whether it accepts {@code max_completion_tokens} rather than only {@code max_tokens}
 * @param responses           whether it also serves OpenAI's Responses API ({@code /responses}), so that a
 *                            Responses client's request goes to it as it came instead of translated
 */
public record Compat(Boolean streamOptions, Boolean maxCompletionTokens, Boolean responses) {

  /** Nothing set: the adapter's knowledge of the provider decides. */
  public static final Compat UNSET = new Compat(null, null, null);
}
