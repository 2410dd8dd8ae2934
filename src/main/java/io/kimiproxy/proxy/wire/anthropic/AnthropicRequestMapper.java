package io.kimiproxy.proxy.wire.anthropic;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.core.model.RequestOptions;
import io.kimiproxy.core.model.ToolChoice;
import io.kimiproxy.core.model.ToolDefinition;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * A neutral request as a Messages API request. The body is built from scratch, field by field:
 * Anthropic rejects fields it does not know, so OpenAI-only ones (stream_options, seed,
 * penalties, logit_bias...) are left behind.
 */
final class AnthropicRequestMapper {
  /** Anthropic requires max_tokens; this is used when the client sets no limit of its own. */
  static final long DEFAULT_MAX_TOKENS = 8192;
  /** Anthropic's smallest thinking budget. */
  static final long MIN_THINKING_BUDGET = 1024;
  private static final Map<String, Long> EFFORT_BUDGETS = Map.of(
      "minimal", MIN_THINKING_BUDGET, "low", MIN_THINKING_BUDGET, "medium", 4096L, "high", 16384L);

  private AnthropicRequestMapper() {}

  static JsonObject toMessagesRequest(ChatRequest request, String model) {
    RequestOptions in = request.options();
    if (in.n() != null && in.n() > 1) {
      throw ProxyError.invalidRequest("'n' greater than 1 is not supported by Anthropic's Messages API.", "n");
    }
    AnthropicMessages.Conversation conversation = AnthropicMessages.convert(request.messages());
    JsonArray tools = tools(request.tools().definitions());
    JsonObject toolChoice = tools.isEmpty() ? null : toolChoice(in);
    Long clientMax = in.maxTokens();
    JsonObject thinking = thinking(in, clientMax, toolChoice, conversation.messages());

    JsonObject out = new JsonObject().put("model", model);
    if (conversation.system() != null) out.put("system", conversation.system());
    out.put("messages", conversation.messages());
    // Thinking counts against max_tokens, so the default leaves the usual room for the answer on top of it.
    out.put("max_tokens", clientMax != null ? clientMax : DEFAULT_MAX_TOKENS + budget(thinking));
    if (thinking != null) out.put("thinking", thinking);
    // Anthropic refuses temperature other than 1 (and top_p below 0.95) with thinking on; IDE
    // clients often send temperature 0, so sampling is then left to Anthropic's defaults.
    if (!enabled(thinking)) sampling(in, out);
    JsonArray stops = stopSequences(in.stop());
    if (!stops.isEmpty()) out.put("stop_sequences", stops);
    if (!tools.isEmpty()) out.put("tools", tools);
    if (toolChoice != null) out.put("tool_choice", toolChoice);
    if (request.stream()) out.put("stream", true);
    return out;
  }

  /** OpenAI's temperature goes to 2, Anthropic's to 1: higher values are capped rather than refused. */
  private static void sampling(RequestOptions in, JsonObject out) {
    if (in.temperature() != null) out.put("temperature", Math.max(0.0, Math.min(1.0, in.temperature())));
    if (in.topP() != null) out.put("top_p", in.topP());
  }

  /** Anthropic rejects stop sequences that are only whitespace (some clients send "\n"); they are dropped. */
  private static JsonArray stopSequences(List<String> stop) {
    JsonArray out = new JsonArray();
    stop.forEach(s -> {
      if (!s.isBlank()) out.add(s);
    });
    return out;
  }

  private static JsonArray tools(List<ToolDefinition> definitions) {
    JsonArray out = new JsonArray();
    for (ToolDefinition tool : definitions) {
      JsonObject schema = tool.parameters() != null ? tool.parameters()
          : new JsonObject().put("type", "object").put("properties", new JsonObject()); // Anthropic requires a schema
      JsonObject mapped = new JsonObject().put("name", tool.name());
      if (tool.description() != null) mapped.put("description", tool.description());
      mapped.put("input_schema", schema);
      if (tool.extra() != null && tool.extra().getValue("cache_control") instanceof JsonObject cache) {
        mapped.put("cache_control", cache);
      }
      out.add(mapped);
    }
    return out;
  }

  private static JsonObject toolChoice(RequestOptions in) {
    ToolChoice choice = in.toolChoice() == null ? ToolChoice.AUTO : in.toolChoice();
    JsonObject out = switch (choice.mode()) {
      case AUTO -> new JsonObject().put("type", "auto");
      case NONE -> new JsonObject().put("type", "none");
      case REQUIRED -> new JsonObject().put("type", "any");
      case NAMED -> new JsonObject().put("type", "tool").put("name", choice.name());
    };
    // Parallelism means nothing when no tool may be called.
    if (choice.mode() != ToolChoice.Mode.NONE && Boolean.FALSE.equals(in.parallelToolCalls())) {
      out.put("disable_parallel_tool_use", true);
    }
    return out;
  }

  /**
   * The thinking setting: the client's own {@code thinking} object as it is, else one derived from
   * {@code reasoning_effort}. Left out when Anthropic would refuse the request with it: a tool
   * choice that forces a call, or a tool-use turn whose thinking block the client did not keep.
   */
  private static JsonObject thinking(RequestOptions in, Long clientMax, JsonObject toolChoice, JsonArray turns) {
    JsonObject thinking = in.thinking() != null ? in.thinking() : fromEffort(in.reasoningEffort(), clientMax);
    if (!enabled(thinking)) return thinking;
    if (toolChoice != null && ("any".equals(toolChoice.getValue("type")) || "tool".equals(toolChoice.getValue("type")))) {
      return null;
    }
    return lastToolTurnKeptItsThinking(turns) ? thinking : null;
  }

  private static JsonObject fromEffort(String effort, Long clientMax) {
    if (effort == null || "none".equals(effort)) return null;
    Long budget = EFFORT_BUDGETS.get(effort);
    if (budget == null) {
      throw ProxyError.invalidRequest("'reasoning_effort' must be none, minimal, low, medium or high.", "reasoning_effort");
    }
    if (clientMax != null) {
      // The client's limit covers thinking and answer together: at most half of it goes to thinking.
      budget = Math.min(budget, clientMax / 2);
      if (budget < MIN_THINKING_BUDGET) return null;
    }
    return new JsonObject().put("type", "enabled").put("budget_tokens", budget);
  }

  /** With thinking on, an assistant turn that called tools must start with its (signed) thinking block. */
  private static boolean lastToolTurnKeptItsThinking(JsonArray turns) {
    for (int i = turns.size() - 1; i >= 0; i--) {
      JsonObject turn = turns.getJsonObject(i);
      if (!"assistant".equals(turn.getString("role"))) continue;
      JsonArray content = turn.getJsonArray("content");
      boolean callsTools = content.stream().anyMatch(b -> "tool_use".equals(((JsonObject) b).getValue("type")));
      String first = content.getJsonObject(0).getString("type");
      return !callsTools || first.equals("thinking") || first.equals("redacted_thinking");
    }
    return true;
  }

  private static boolean enabled(JsonObject thinking) {
    return thinking != null && !"disabled".equals(thinking.getValue("type"));
  }

  private static long budget(JsonObject thinking) {
    return enabled(thinking) && thinking.getValue("budget_tokens") instanceof Number n ? n.longValue() : 0;
  }
}
