package io.kimiproxy.proxy.inbound.responses;

import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.core.model.RequestOptions;
import io.kimiproxy.core.model.ToolChoice;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The {@code response} object of one answer the proxy writes in the Responses API's shape (in the
 * stream's created, in_progress and final events, or as a whole answer): its id, the model the
 * client asked for, the request's settings echoed as OpenAI echoes them, the output and the usage.
 */
final class ResponseShape {
  private final String id;
  private final long createdAt;
  private final String model;
  private final RequestOptions options;

  ResponseShape(ChatRequest request) {
    this.id = newId("resp");
    this.createdAt = System.currentTimeMillis() / 1000;
    this.model = request.model();
    this.options = request.options();
  }

  /** An id in OpenAI's style: a prefix ({@code resp}, {@code msg}, {@code fc}, {@code rs}) and 48 hex digits. */
  static String newId(String prefix) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return prefix + "_" + String.format("%016x%016x%016x", random.nextLong(), random.nextLong(), random.nextLong());
  }

  /**
   * @param status     in_progress, completed, incomplete or failed
   * @param usage      the Responses usage, or null while in progress
   * @param error      {@code {"code","message"}} of a failed response, or null
   * @param incomplete why an incomplete response stopped ({@code max_output_tokens}, {@code content_filter}), or null
   */
  JsonObject response(String status, JsonArray output, JsonObject usage, JsonObject error, String incomplete) {
    JsonObject reasoning = new JsonObject().put("effort", options.reasoningEffort()).putNull("summary");
    JsonObject format = options.responseFormat() == null ? new JsonObject().put("type", "text")
        : formatOf(options.responseFormat());
    return new JsonObject()
        .put("id", id)
        .put("object", "response")
        .put("created_at", createdAt)
        .put("status", status)
        .put("background", false)
        .put("error", error)
        .put("incomplete_details", incomplete == null ? null : new JsonObject().put("reason", incomplete))
        .putNull("instructions")
        .put("max_output_tokens", options.maxTokens())
        .put("model", model)
        .put("output", output)
        .put("parallel_tool_calls", options.parallelToolCalls() == null || options.parallelToolCalls())
        .putNull("previous_response_id")
        .put("reasoning", reasoning)
        .put("store", false)
        .put("temperature", options.temperature())
        .put("text", new JsonObject().put("format", format))
        .put("tool_choice", choice(options.toolChoice()))
        .put("tools", new JsonArray())
        .put("top_p", options.topP())
        .put("truncation", "disabled")
        .put("usage", usage)
        .put("metadata", new JsonObject());
  }

  /** Chat Completions' response_format back in {@code text.format}'s flat shape. */
  private static JsonObject formatOf(JsonObject responseFormat) {
    if (!(responseFormat.getValue("json_schema") instanceof JsonObject schema)) return responseFormat.copy();
    JsonObject flat = new JsonObject().put("type", "json_schema");
    schema.forEach(e -> flat.put(e.getKey(), e.getValue()));
    return flat;
  }

  private static Object choice(ToolChoice choice) {
    if (choice == null) return "auto";
    return switch (choice.mode()) {
      case AUTO -> "auto";
      case NONE -> "none";
      case REQUIRED -> "required";
      case NAMED -> new JsonObject().put("type", "function").put("name", choice.name());
    };
  }
}
