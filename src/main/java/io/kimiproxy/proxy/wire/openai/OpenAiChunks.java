package io.kimiproxy.proxy.wire.openai;

import io.vertx.core.json.JsonObject;

/** Small readers for the OpenAI-compatible variants providers send. */
final class OpenAiChunks {
  private OpenAiChunks() {}

  /** The usage object, wherever the provider put it (Groq streams it under {@code x_groq}). */
  static JsonObject usageOf(JsonObject json) {
    if (json.getValue("usage") instanceof JsonObject usage) return usage;
    if (json.getValue("x_groq") instanceof JsonObject groq && groq.getValue("usage") instanceof JsonObject usage) {
      return usage;
    }
    return null;
  }

  /**
   * OpenRouter, Cerebras, Groq and Ollama name the thinking text {@code reasoning}; DeepSeek, Kimi
   * and most IDE clients use {@code reasoning_content}. The text is copied into the latter (the
   * original stays, for clients that read it) so every client finds it where it looks.
   *
   * @param message a streamed delta or a complete message
   * @return true when the message changed
   */
  static boolean mirrorReasoning(JsonObject message) {
    if (message.getValue("reasoning") instanceof String reasoning && message.getValue("reasoning_content") == null) {
      message.put("reasoning_content", reasoning);
      return true;
    }
    return false;
  }
}
