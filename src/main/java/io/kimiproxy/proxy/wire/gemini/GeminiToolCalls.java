package io.kimiproxy.proxy.wire.gemini;

import io.kimiproxy.core.model.ToolCall;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Tool calls between the two shapes. Gemini's {@code thoughtSignature} rides on the OpenAI tool call
 * as {@code extra_content.google.thought_signature}, the field Google's own OpenAI-compatible
 * endpoint uses, so a client that keeps the call as it came sends the signature back next turn.
 */
final class GeminiToolCalls {
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

  private GeminiToolCalls() {}

  /** An OpenAI tool call for a Gemini {@code functionCall}; Gemini names calls only sometimes, so ids are made here. */
  static JsonObject toolCall(JsonObject functionCall, String signature) {
    JsonObject args = functionCall.getValue("args") instanceof JsonObject a ? a : new JsonObject();
    String id = functionCall.getValue("id") instanceof String s && !s.isEmpty() ? s : newId();
    JsonObject call = new JsonObject()
        .put("id", id)
        .put("type", "function")
        .put("function", new JsonObject().put("name", functionCall.getString("name", "")).put("arguments", args.encode()));
    if (signature != null && !signature.isEmpty()) {
      call.put("extra_content", new JsonObject().put("google", new JsonObject().put("thought_signature", signature)));
    }
    return call;
  }

  /** The signature a client sent back on a tool call, or null. */
  static String signatureOf(ToolCall toolCall) {
    if (toolCall.extra() != null && toolCall.extra().getValue("extra_content") instanceof JsonObject extra
        && extra.getValue("google") instanceof JsonObject google
        && google.getValue("thought_signature") instanceof String signature && !signature.isEmpty()) {
      return signature;
    }
    return null;
  }

  /** Random, not a counter: clients key tool results by id across the whole conversation. */
  private static String newId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    StringBuilder id = new StringBuilder("call_");
    for (int i = 0; i < 24; i++) id.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    return id.toString();
  }
}
