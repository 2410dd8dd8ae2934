package io.kimiproxy.proxy.wire.anthropic;

/** Anthropic's stop_reason and OpenAI's finish_reason, each in the other's terms. */
public final class AnthropicStops {
  private AnthropicStops() {}

  /** OpenAI's finish_reason for Anthropic's stop_reason. */
  public static String finishReason(Object stopReason) {
    if (!(stopReason instanceof String reason)) return "stop";
    return switch (reason) {
      case "max_tokens", "model_context_window_exceeded" -> "length";
      case "tool_use" -> "tool_calls";
      case "refusal" -> "content_filter";
      default -> "stop"; // end_turn, stop_sequence, pause_turn
    };
  }

  /** Anthropic's stop_reason for OpenAI's finish_reason; a turn that called tools stops for them. */
  public static String stopReason(Object finishReason, boolean toolUsed) {
    if (toolUsed && !"length".equals(finishReason)) return "tool_use";
    if (!(finishReason instanceof String reason)) return "end_turn";
    return switch (reason) {
      case "length" -> "max_tokens";
      case "tool_calls", "function_call" -> "tool_use";
      case "content_filter" -> "refusal";
      default -> "end_turn";
    };
  }
}
