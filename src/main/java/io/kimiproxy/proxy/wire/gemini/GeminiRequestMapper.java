package io.kimiproxy.proxy.wire.gemini;

import io.kimiproxy.core.error.ProxyError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An OpenAI Chat Completions request as a Gemini {@code generateContent} body: the conversation
 * ({@link GeminiContents}), the tools as function declarations, tool_choice as
 * {@code toolConfig} and the sampling options as {@code generationConfig}. OpenAI options with no
 * Gemini counterpart (logit_bias, user, parallel_tool_calls...) are not sent.
 */
final class GeminiRequestMapper {
  private GeminiRequestMapper() {}

  /** @param signaturesRequired whether the model validates replayed thought signatures (see {@link GeminiContents}) */
  static JsonObject toGenerateContent(JsonObject request, boolean signaturesRequired) {
    GeminiContents.Converted conversation = GeminiContents.of(request.getJsonArray("messages"), signaturesRequired);
    JsonObject body = new JsonObject().put("contents", conversation.contents());
    if (conversation.systemInstruction() != null) body.put("systemInstruction", conversation.systemInstruction());
    JsonArray declarations = declarations(request);
    if (!declarations.isEmpty()) {
      body.put("tools", new JsonArray().add(new JsonObject().put("functionDeclarations", declarations)));
      JsonObject toolConfig = toolConfig(request.getValue("tool_choice"));
      if (toolConfig != null) body.put("toolConfig", toolConfig);
    }
    JsonObject generation = generationConfig(request);
    if (!generation.isEmpty()) body.put("generationConfig", generation);
    return body;
  }

  private static JsonArray declarations(JsonObject request) {
    JsonArray out = new JsonArray();
    if (!(request.getValue("tools") instanceof JsonArray tools)) return out;
    for (Object item : tools) {
      // Only function tools exist in Chat Completions; anything else has no Gemini declaration.
      if (!(item instanceof JsonObject tool) || !(tool.getValue("function") instanceof JsonObject fn)) continue;
      if (!(fn.getValue("name") instanceof String name) || name.isEmpty()) {
        throw ProxyError.invalidRequest("Every tool needs a function name.", "tools");
      }
      JsonObject declaration = new JsonObject().put("name", name);
      if (fn.getValue("description") instanceof String d) declaration.put("description", d);
      if (fn.getValue("parameters") instanceof JsonObject schema) declaration.put("parameters", GeminiSchema.clean(schema));
      out.add(declaration);
    }
    return out;
  }

  private static JsonObject toolConfig(Object choice) {
    if (choice == null) return null;
    JsonObject config = new JsonObject();
    if (choice instanceof String mode) {
      config.put("mode", switch (mode) {
        case "none" -> "NONE";
        case "auto" -> "AUTO";
        case "required" -> "ANY";
        default -> throw ProxyError.invalidRequest("'tool_choice' must be none, auto, required or a function.", "tool_choice");
      });
    } else if (choice instanceof JsonObject named && named.getValue("function") instanceof JsonObject fn
        && fn.getValue("name") instanceof String name) {
      config.put("mode", "ANY").put("allowedFunctionNames", new JsonArray().add(name));
    } else {
      throw ProxyError.invalidRequest("'tool_choice' must be none, auto, required or {\"type\":\"function\",\"function\":{\"name\":...}}.", "tool_choice");
    }
    return new JsonObject().put("functionCallingConfig", config);
  }

  private static JsonObject generationConfig(JsonObject request) {
    JsonObject config = new JsonObject();
    putNumber(config, "temperature", request, "temperature");
    putNumber(config, "topP", request, "top_p");
    putNumber(config, "maxOutputTokens", request, request.getValue("max_completion_tokens") != null ? "max_completion_tokens" : "max_tokens");
    putNumber(config, "candidateCount", request, "n");
    Object stop = request.getValue("stop");
    if (stop instanceof String s) {
      config.put("stopSequences", new JsonArray().add(s));
    } else if (stop instanceof JsonArray list && !list.isEmpty()) {
      config.put("stopSequences", list.copy());
    }
    responseFormat(request.getValue("response_format"), config);
    if (request.getValue("reasoning_effort") instanceof String effort) config.put("thinkingConfig", thinking(effort));
    return config;
  }

  private static void responseFormat(Object format, JsonObject config) {
    if (!(format instanceof JsonObject f)) return;
    switch (f.getString("type", "text")) {
      case "json_object" -> config.put("responseMimeType", "application/json");
      case "json_schema" -> {
        config.put("responseMimeType", "application/json");
        if (f.getValue("json_schema") instanceof JsonObject js && js.getValue("schema") instanceof JsonObject schema) {
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

  private static void putNumber(JsonObject config, String geminiKey, JsonObject request, String openAiKey) {
    Object value = request.getValue(openAiKey);
    if (value == null) return;
    if (!(value instanceof Number)) throw ProxyError.invalidRequest("'" + openAiKey + "' must be a number.", openAiKey);
    config.put(geminiKey, value);
  }
}
