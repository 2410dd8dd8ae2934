package io.kimiproxy.config;

/**
 * {@code [sanitizer]}: masking of large tool outputs and redaction of secrets in outgoing messages.
 *
 * @param enabled             the sanitizer's state at start; it can be switched at runtime
 * @param thresholdTokens     tool outputs and dumps over this many tokens are masked
 * @param previewLength       characters of the original kept in the mask marker
 * @param keepLastToolResults the most recent tool results that are never masked
 * @param redactSecrets       replace keys, tokens and passwords before a request leaves the machine
 */
public record SanitizerConfig(boolean enabled, long thresholdTokens, int previewLength, int keepLastToolResults,
                              boolean redactSecrets) {
  public static final SanitizerConfig DEFAULTS = new SanitizerConfig(true, 1_000, 200, 2, true);
}
