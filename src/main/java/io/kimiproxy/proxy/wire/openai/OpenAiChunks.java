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
}
