package io.kimiproxy.proxy.wire.gemini;

import io.kimiproxy.core.model.Usage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One candidate of a Gemini answer (a whole answer or one stream event), read into what OpenAI's
 * shape needs.
 *
 * @param index        the candidate's index, the OpenAI choice index
 * @param text         the answer's text parts, joined
 * @param reasoning    the {@code thought: true} parts, joined
 * @param toolCalls    OpenAI tool calls, ids made, no stream index yet
 * @param finishReason OpenAI's finish reason, "stop" even where tool calls make it "tool_calls"
 *                     (a stream learns that over several events); null while the candidate goes on
 */
record GeminiCandidate(int index, String text, String reasoning, List<JsonObject> toolCalls, String finishReason) {

  /** The candidates of a response; a prompt Gemini refused to answer reads as one filtered, empty choice. */
  static List<GeminiCandidate> all(JsonObject response) {
    List<GeminiCandidate> out = new ArrayList<>();
    if (response.getValue("candidates") instanceof JsonArray candidates) {
      for (int i = 0; i < candidates.size(); i++) {
        if (candidates.getValue(i) instanceof JsonObject c) out.add(read(c, i));
      }
    }
    if (out.isEmpty() && response.getValue("promptFeedback") instanceof JsonObject feedback
        && feedback.getValue("blockReason") instanceof String) {
      out.add(new GeminiCandidate(0, "", "", List.of(), "content_filter"));
    }
    return out;
  }

  /**
   * Parts other than text, thoughts and function calls (executable code, inline images) have no
   * place in a chat completion and are left out. A signature on a part that is not a function call
   * is dropped too: Gemini only insists on the signatures of function calls.
   */
  private static GeminiCandidate read(JsonObject candidate, int position) {
    StringBuilder text = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    List<JsonObject> calls = new ArrayList<>();
    if (candidate.getValue("content") instanceof JsonObject content && content.getValue("parts") instanceof JsonArray parts) {
      for (Object item : parts) {
        if (!(item instanceof JsonObject part)) continue;
        if (part.getValue("functionCall") instanceof JsonObject fn) {
          calls.add(GeminiToolCalls.toolCall(fn, part.getString("thoughtSignature")));
        } else if (part.getValue("text") instanceof String s) {
          (Boolean.TRUE.equals(part.getValue("thought")) ? reasoning : text).append(s);
        }
      }
    }
    int index = candidate.getValue("index") instanceof Number n ? n.intValue() : position;
    String finish = candidate.getValue("finishReason") instanceof String f ? openAiReason(f) : null;
    return new GeminiCandidate(index, text.toString(), reasoning.toString(), calls, finish);
  }

  static String openAiReason(String gemini) {
    return switch (gemini) {
      case "MAX_TOKENS" -> "length";
      case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY",
           "IMAGE_PROHIBITED_CONTENT" -> "content_filter";
      default -> "stop";
    };
  }

  /** The finish reason a client sees: Gemini says STOP after function calls, OpenAI says tool_calls. */
  static String afterCalls(String reason, boolean calledTools) {
    return calledTools && "stop".equals(reason) ? "tool_calls" : reason;
  }

  /**
   * {@code usageMetadata} in OpenAI's terms. Thinking is output Gemini bills, so it counts as
   * completion tokens (and as their reasoning part); tool-use prompt tokens are billed as input.
   */
  static JsonObject usage(JsonObject metadata) {
    long prompt = count(metadata, "promptTokenCount") + count(metadata, "toolUsePromptTokenCount");
    long thoughts = count(metadata, "thoughtsTokenCount");
    long completion = count(metadata, "candidatesTokenCount") + thoughts;
    return new Usage(prompt, completion, count(metadata, "cachedContentTokenCount"), thoughts).toOpenAi();
  }

  private static long count(JsonObject metadata, String key) {
    return metadata.getValue(key) instanceof Number n ? n.longValue() : 0;
  }
}
