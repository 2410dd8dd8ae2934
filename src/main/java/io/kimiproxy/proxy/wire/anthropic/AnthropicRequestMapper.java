package io.kimiproxy.proxy.wire.anthropic;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.model.ChatRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * A Chat Completions request as a Messages API request. The body is built from scratch, field by
 * field: Anthropic rejects fields it does not know, so OpenAI-only ones (stream_options, seed,
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
    JsonObject in = request.body();
    if (in.getValue("n") instanceof Number n && n.intValue() > 1) {
      throw ProxyError.invalidRequest("'n' greater than 1 is not supported by Anthropic's Messages API.", "n");
    }
    AnthropicMessages.Conversation conversation = AnthropicMessages.convert(request.messages());
    JsonArray tools = tools(in.getValue("tools"));
    JsonObject toolChoice = tools.isEmpty() ? null : toolChoice(in);
    Long clientMax = maxTokens(in);
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
    JsonArray stops = stopSequences(in.getValue("stop"));
    if (!stops.isEmpty()) out.put("stop_sequences", stops);
    if (!tools.isEmpty()) out.put("tools", tools);
    if (toolChoice != null) out.put("tool_choice", toolChoice);
    if (request.stream()) out.put("stream", true);
    return out;
  }

  private static Long maxTokens(JsonObject in) {
    for (String key : new String[] {"max_completion_tokens", "max_tokens"}) {
      if (in.getValue(key) instanceof Number n) return n.longValue();
    }
    return null;
  }

  /** OpenAI's temperature goes to 2, Anthropic's to 1: higher values are capped rather than refused. */
  private static void sampling(JsonObject in, JsonObject out) {
    if (in.getValue("temperature") instanceof Number t) out.put("temperature", Math.max(0.0, Math.min(1.0, t.doubleValue())));
    if (in.getValue("top_p") instanceof Number p) out.put("top_p", p.doubleValue());
  }

  /** Anthropic rejects stop sequences that are only whitespace (some clients send "\n"); they are dropped. */
  private static JsonArray stopSequences(Object stop) {
    JsonArray out = new JsonArray();
    if (stop instanceof String s && !s.isBlank()) out.add(s);
    if (stop instanceof JsonArray list) {
      list.forEach(item -> {
        if (item instanceof String s && !s.isBlank()) out.add(s);
      });
    }
    return out;
  }

  private static JsonArray tools(Object value) {
    JsonArray out = new JsonArray();
    if (!(value instanceof JsonArray list)) return out;
    for (int i = 0; i < list.size(); i++) {
      if (!(list.getValue(i) instanceof JsonObject tool) || !(tool.getValue("function") instanceof JsonObject fn)
          || !(fn.getValue("name") instanceof String name)) {
        throw ProxyError.invalidRequest("tools[" + i + "] must be {\"type\":\"function\",\"function\":{\"name\",...}}.", "tools");
      }
      JsonObject schema = fn.getValue("parameters") instanceof JsonObject p ? p
          : new JsonObject().put("type", "object").put("properties", new JsonObject()); // Anthropic requires a schema
      JsonObject mapped = new JsonObject().put("name", name);
      if (fn.getValue("description") instanceof String d) mapped.put("description", d);
      out.add(mapped.put("input_schema", schema));
    }
    return out;
  }

  private static JsonObject toolChoice(JsonObject in) {
    Object choice = in.getValue("tool_choice");
    JsonObject out;
    if (choice == null || "auto".equals(choice)) {
      out = new JsonObject().put("type", "auto");
    } else if ("none".equals(choice)) {
      return new JsonObject().put("type", "none"); // parallelism means nothing when no tool may be called
    } else if ("required".equals(choice)) {
      out = new JsonObject().put("type", "any");
    } else if (choice instanceof JsonObject o && o.getValue("function") instanceof JsonObject fn
        && fn.getValue("name") instanceof String name) {
      out = new JsonObject().put("type", "tool").put("name", name);
    } else {
      throw ProxyError.invalidRequest("'tool_choice' must be \"auto\", \"none\", \"required\" or {\"type\":\"function\",\"function\":{\"name\"}}.", "tool_choice");
    }
    if (Boolean.FALSE.equals(in.getValue("parallel_tool_calls"))) out.put("disable_parallel_tool_use", true);
    return out;
  }

  /**
   * The thinking setting: the client's own {@code thinking} object as it is, else one derived from
   * {@code reasoning_effort}. Left out when Anthropic would refuse the request with it: a tool
   * choice that forces a call, or a tool-use turn whose thinking block the client did not keep.
   */
  private static JsonObject thinking(JsonObject in, Long clientMax, JsonObject toolChoice, JsonArray turns) {
    JsonObject thinking;
    if (in.getValue("thinking") instanceof JsonObject given) {
      thinking = given;
    } else {
      thinking = fromEffort(in.getValue("reasoning_effort"), clientMax);
    }
    if (!enabled(thinking)) return thinking;
    if (toolChoice != null && ("any".equals(toolChoice.getValue("type")) || "tool".equals(toolChoice.getValue("type")))) {
      return null;
    }
    return lastToolTurnKeptItsThinking(turns) ? thinking : null;
  }

  private static JsonObject fromEffort(Object effort, Long clientMax) {
    if (effort == null || "none".equals(effort)) return null;
    Long budget = EFFORT_BUDGETS.get(String.valueOf(effort));
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
