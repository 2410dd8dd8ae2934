package io.kimiproxy.proxy.wire.gemini;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.core.model.RequestOptions;
import io.kimiproxy.core.model.ToolChoice;
import io.kimiproxy.core.model.ToolDefinition;
import java.util.List;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A neutral request as a Gemini {@code generateContent} body: the conversation
 * ({@link GeminiContents}), the tools as function declarations, the tool choice as
 * {@code toolConfig} and the sampling options as {@code generationConfig}. Options with no
 * Gemini counterpart (logit_bias, user, parallel_tool_calls...) are not sent.
 */
final class GeminiRequestMapper {
  private GeminiRequestMapper() {}

  /** @param signaturesRequired whether the model validates replayed thought signatures (see {@link GeminiContents}) */
  static JsonObject toGenerateContent(ChatRequest request, boolean signaturesRequired) {
    GeminiContents.Converted conversation = GeminiContents.of(request.messages(), signaturesRequired);
    JsonObject body = new JsonObject().put("contents", conversation.contents());
    if (conversation.systemInstruction() != null) body.put("systemInstruction", conversation.systemInstruction());
    JsonArray declarations = declarations(request.tools().definitions());
    if (!declarations.isEmpty()) {
      body.put("tools", new JsonArray().add(new JsonObject().put("functionDeclarations", declarations)));
      JsonObject toolConfig = toolConfig(request.options().toolChoice());
      if (toolConfig != null) body.put("toolConfig", toolConfig);
    }
    JsonObject generation = generationConfig(request.options());
    if (!generation.isEmpty()) body.put("generationConfig", generation);
    return body;
  }

  private static JsonArray declarations(List<ToolDefinition> tools) {
    JsonArray out = new JsonArray();
    for (ToolDefinition tool : tools) {
      JsonObject declaration = new JsonObject().put("name", tool.name());
      if (tool.description() != null) declaration.put("description", tool.description());
      if (tool.parameters() != null) declaration.put("parameters", GeminiSchema.clean(tool.parameters()));
      out.add(declaration);
    }
    return out;
  }

  private static JsonObject toolConfig(ToolChoice choice) {
    if (choice == null) return null;
    JsonObject config = new JsonObject();
    switch (choice.mode()) {
      case NONE -> config.put("mode", "NONE");
      case AUTO -> config.put("mode", "AUTO");
      case REQUIRED -> config.put("mode", "ANY");
      case NAMED -> config.put("mode", "ANY").put("allowedFunctionNames", new JsonArray().add(choice.name()));
    }
    return new JsonObject().put("functionCallingConfig", config);
  }

  private static JsonObject generationConfig(RequestOptions options) {
    JsonObject config = new JsonObject();
    if (options.temperature() != null) config.put("temperature", options.temperature());
    if (options.topP() != null) config.put("topP", options.topP());
    if (options.maxTokens() != null) config.put("maxOutputTokens", options.maxTokens());
    if (options.n() != null) config.put("candidateCount", options.n());
    if (!options.stop().isEmpty()) config.put("stopSequences", new JsonArray(options.stop()));
    responseFormat(options.responseFormat(), config);
    if (options.reasoningEffort() != null) config.put("thinkingConfig", thinking(options.reasoningEffort()));
    return config;
  }

  private static void responseFormat(JsonObject format, JsonObject config) {
    if (format == null) return;
    switch (format.getString("type", "text")) {
      case "json_object" -> config.put("responseMimeType", "application/json");
      case "json_schema" -> {
        config.put("responseMimeType", "application/json");
        if (format.getValue("json_schema") instanceof JsonObject js && js.getValue("schema") instanceof JsonObject schema) {
          config.put("responseSchema", GeminiSchema.clean(schema));
        }
      }
      default -> { } // "text" is Gemini's default
    }
  }

  /**
   * Effort as a thinking budget, with Google's own mapping for its OpenAI endpoint (low 1K, medium
   * 8K, high 24K tokens; none turns thinking off). Thoughts are asked for so they stream back as
   * reasoning_content.
   */
  private static JsonObject thinking(String effort) {
    int budget = switch (effort) {
      case "none" -> 0;
      case "minimal" -> 512;
      case "low" -> 1024;
      case "medium" -> 8192;
      case "high" -> 24576;
      default -> throw ProxyError.invalidRequest("'reasoning_effort' must be none, minimal, low, medium or high.", "reasoning_effort");
    };
    JsonObject thinking = new JsonObject().put("thinkingBudget", budget);
    return budget == 0 ? thinking : thinking.put("includeThoughts", true);
  }
}
