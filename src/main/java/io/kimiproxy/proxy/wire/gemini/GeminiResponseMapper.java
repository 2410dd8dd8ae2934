package io.kimiproxy.proxy.wire.gemini;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** A whole {@code generateContent} answer as an OpenAI {@code chat.completion}: one choice per candidate. */
final class GeminiResponseMapper {
  private GeminiResponseMapper() {}

  static JsonObject toCompletion(JsonObject response, String requestedModel) {
    JsonArray choices = new JsonArray();
    for (GeminiCandidate candidate : GeminiCandidate.all(response)) {
      boolean called = !candidate.toolCalls().isEmpty();
      JsonObject message = new JsonObject().put("role", "assistant");
      // OpenAI's own shape: content is null beside tool calls when there is no text.
      if (called && candidate.text().isEmpty()) message.putNull("content"); else message.put("content", candidate.text());
      if (!candidate.reasoning().isEmpty()) message.put("reasoning_content", candidate.reasoning());
      if (called) message.put("tool_calls", new JsonArray(candidate.toolCalls()));
      String reason = candidate.finishReason() == null ? "stop" : candidate.finishReason();
      choices.add(new JsonObject()
          .put("index", candidate.index())
          .put("message", message)
          .put("finish_reason", GeminiCandidate.afterCalls(reason, called)));
    }
    JsonObject completion = new JsonObject()
        .put("id", completionId(response))
        .put("object", "chat.completion")
        .put("created", System.currentTimeMillis() / 1000)
        .put("model", model(response, requestedModel))
        .put("choices", choices);
    if (response.getValue("usageMetadata") instanceof JsonObject metadata) {
      completion.put("usage", GeminiCandidate.usage(metadata));
    }
    return completion;
  }

  /** Gemini's responseId names the answer; every chunk of a stream carries the same one. */
  static String completionId(JsonObject response) {
    return "chatcmpl-" + (response.getValue("responseId") instanceof String id && !id.isEmpty() ? id : UUID.randomUUID());
  }

  /** The exact model version that answered, when Gemini says it. */
  static String model(JsonObject response, String requestedModel) {
    return response.getValue("modelVersion") instanceof String v && !v.isEmpty() ? v : requestedModel;
  }
}
