package io.kimiproxy.proxy.wire.anthropic;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A complete Messages API answer as an OpenAI {@code chat.completion}: text blocks become the
 * content, thinking blocks {@code reasoning_content}, tool_use blocks {@code tool_calls}.
 *
 * <p>Thinking blocks are also returned whole, with their signatures, as {@code thinking_blocks}
 * next to {@code reasoning_content}: Anthropic only accepts a thinking block back (needed when
 * the model thought before calling a tool) with the signature it was issued with.
 */
final class AnthropicResponseMapper {
  private AnthropicResponseMapper() {}

  /** @param message a Messages API response whose {@code content} is an array */
  static JsonObject toChatCompletion(JsonObject message, long created) {
    StringBuilder text = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    JsonArray thinkingBlocks = new JsonArray();
    JsonArray toolCalls = new JsonArray();
    for (Object item : message.getJsonArray("content")) {
      if (!(item instanceof JsonObject block)) continue;
      switch (String.valueOf(block.getValue("type"))) {
        case "text" -> text.append(stringOr(block.getValue("text"), ""));
        case "thinking" -> {
          String thinking = stringOr(block.getValue("thinking"), "");
          reasoning.append(thinking);
          String signature = stringOr(block.getValue("signature"), "");
          if (!signature.isEmpty()) thinkingBlocks.add(thinkingBlock(thinking, signature));
        }
        case "redacted_thinking" -> thinkingBlocks.add(redactedThinkingBlock(stringOr(block.getValue("data"), "")));
        case "tool_use" -> toolCalls.add(new JsonObject()
            .put("id", block.getValue("id"))
            .put("type", "function")
            .put("function", new JsonObject()
                .put("name", block.getValue("name"))
                .put("arguments", block.getValue("input") instanceof JsonObject input ? input.encode() : "{}")));
        default -> { } // server-side tool blocks (web search...) have no Chat Completions form
      }
    }
    JsonObject reply = new JsonObject().put("role", "assistant");
    // OpenAI's convention: a turn that only calls tools has null content, not "".
    if (text.length() == 0 && !toolCalls.isEmpty()) reply.putNull("content"); else reply.put("content", text.toString());
    if (reasoning.length() > 0) reply.put("reasoning_content", reasoning.toString());
    if (!thinkingBlocks.isEmpty()) reply.put("thinking_blocks", thinkingBlocks);
    if (!toolCalls.isEmpty()) reply.put("tool_calls", toolCalls);
    JsonObject choice = new JsonObject()
        .put("index", 0)
        .put("message", reply)
        .putNull("logprobs")
        .put("finish_reason", finishReason(message.getValue("stop_reason")));
    JsonObject completion = new JsonObject()
        .put("id", message.getValue("id"))
        .put("object", "chat.completion")
        .put("created", created)
        .put("model", message.getValue("model"))
        .put("choices", new JsonArray().add(choice));
    if (message.getValue("usage") instanceof JsonObject usage) {
      completion.put("usage", AnthropicUsage.from(usage).toOpenAi());
    }
    return completion;
  }

  /** Anthropic's stop_reason in OpenAI's finish_reason terms. */
  static String finishReason(Object stopReason) {
    return AnthropicStops.finishReason(stopReason);
  }

  static JsonObject thinkingBlock(String thinking, String signature) {
    return new JsonObject().put("type", "thinking").put("thinking", thinking).put("signature", signature);
  }

  static JsonObject redactedThinkingBlock(String data) {
    return new JsonObject().put("type", "redacted_thinking").put("data", data);
  }

  private static String stringOr(Object value, String fallback) {
    return value instanceof String s ? s : fallback;
  }
}
