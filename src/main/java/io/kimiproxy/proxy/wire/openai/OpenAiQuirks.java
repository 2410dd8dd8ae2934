package io.kimiproxy.proxy.wire.openai;

import io.kimiproxy.config.Compat;
import io.kimiproxy.config.ProviderConfig;
import java.util.Locale;

/**
 * What an OpenAI-compatible server accepts where it differs from OpenAI, as flags the adapter reads
 * instead of provider checks spread through it. Known servers get their flags from the provider's
 * name or host; {@code stream_options} and {@code max_completion_tokens} in the provider's config
 * table override them (for a self-hosted server with the same limits, say).
 *
 * <p>What any server may do and the proxy can repair without asking (usage on every chunk or only
 * the last, usage under {@code x_groq}, tool calls without index or id, {@code reasoning} instead of
 * {@code reasoning_content}) needs no flag: the decoder handles it for everyone.
 *
 * @param streamOptions       send {@code stream_options.include_usage}; Mistral rejects the field
 *                            with 422 (and puts usage on its finish chunk unasked)
 * @param maxCompletionTokens pass {@code max_completion_tokens} on; else it is sent as {@code max_tokens}
 *                            (Mistral rejects the newer name with 422 extra_forbidden)
 * @param cacheControl        the server takes Anthropic-style {@code cache_control} breakpoints on parts and
 *                            tools (OpenRouter, for the models that cache): an Anthropic client's are kept for it
 */
record OpenAiQuirks(boolean streamOptions, boolean maxCompletionTokens, boolean cacheControl) {

  static OpenAiQuirks of(ProviderConfig provider) {
    String host = provider.baseUrl().getHost() == null ? "" : provider.baseUrl().getHost().toLowerCase(Locale.ROOT);
    boolean mistral = provider.name().equals("mistral") || host.endsWith("mistral.ai");
    Compat compat = provider.compat();
    boolean openRouter = provider.name().equals("openrouter") || host.endsWith("openrouter.ai");
    return new OpenAiQuirks(
        compat.streamOptions() != null ? compat.streamOptions() : !mistral,
        compat.maxCompletionTokens() != null ? compat.maxCompletionTokens() : !mistral,
        openRouter);
  }
}
