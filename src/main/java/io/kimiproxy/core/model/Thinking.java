package io.kimiproxy.core.model;

/**
 * Reasoning an assistant turn carried. Plain reasoning text (OpenAI-compatible
 * {@code reasoning_content}) has neither signature nor data; Anthropic's thinking blocks carry a
 * {@code signature} that must go back with them; a redacted block or an encrypted reasoning item
 * (OpenAI Responses) carries only opaque {@code data}.
 */
public record Thinking(String text, String signature, String data) {
  public static Thinking plain(String text) {
    return new Thinking(text, null, null);
  }

  /** Signed or opaque: only the provider family that issued it can take it back. */
  public boolean sealed() {
    return signature != null || data != null;
  }
}
