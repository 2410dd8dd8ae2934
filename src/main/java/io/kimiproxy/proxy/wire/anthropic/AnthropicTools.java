package io.kimiproxy.proxy.wire.anthropic;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.model.ToolChoice;
import io.kimiproxy.core.model.ToolDefinition;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** An Anthropic client's {@code tools} and {@code tool_choice} in the neutral model. */
public final class AnthropicTools {
  private AnthropicTools() {}

  /**
   * The functions the model may call, as any provider can offer them. Tools Anthropic defines itself
   * ({@code web_search_20250305}, {@code bash_20250124}... with a {@code type}) and tools whose
   * definition is loaded on demand ({@code defer_loading}) have no such form: they stay in the
   * client's bytes for an Anthropic provider and are not offered to others.
   */
  public static List<ToolDefinition> decode(JsonArray tools) {
    List<ToolDefinition> out = new ArrayList<>(tools.size());
    for (int i = 0; i < tools.size(); i++) {
      if (!(tools.getValue(i) instanceof JsonObject tool) || !(tool.getValue("name") instanceof String name)
          || name.isEmpty()) {
        throw ProxyError.invalidRequest("tools[" + i + "] must be an object with a 'name'.", "tools");
      }
      Object type = tool.getValue("type");
      if (type != null && !"custom".equals(type) || Boolean.TRUE.equals(tool.getValue("defer_loading"))) continue;
      Object schema = tool.getValue("input_schema");
      if (schema != null && !(schema instanceof JsonObject)) {
        throw ProxyError.invalidRequest("tools[" + i + "].input_schema must be an object.", "tools");
      }
      JsonObject extra = null;
      if (tool.getValue("cache_control") instanceof JsonObject cache) extra = new JsonObject().put("cache_control", cache);
      if (tool.getValue("strict") instanceof Boolean strict) {
        extra = (extra == null ? new JsonObject() : extra).put("strict", strict);
      }
      out.add(new ToolDefinition(name, tool.getValue("description") instanceof String d ? d : null,
          (JsonObject) schema, extra));
    }
    return out;
  }

  /** {@code {"type": "auto" | "any" | "tool" | "none", "name"?}}, or null when absent. */
  public static ToolChoice decodeChoice(JsonObject choice) {
    if (choice == null) return null;
    Object type = choice.getValue("type");
    if ("auto".equals(type)) return ToolChoice.AUTO;
    if ("any".equals(type)) return ToolChoice.REQUIRED;
    if ("none".equals(type)) return ToolChoice.NONE;
    if ("tool".equals(type) && choice.getValue("name") instanceof String name && !name.isEmpty()) {
      return ToolChoice.named(name);
    }
    throw ProxyError.invalidRequest("'tool_choice' must be {\"type\": \"auto\"}, {\"type\": \"any\"}, "
        + "{\"type\": \"none\"} or {\"type\": \"tool\", \"name\": ...}.", "tool_choice");
  }

  /**
   * A tool call id Anthropic's clients can send back to an Anthropic provider (letters, digits, _
   * and -): other providers' ids ({@code functions.add:0}) are rewritten, the same way every time,
   * so a call and its result keep pairing whichever provider the next turn goes to.
   */
  public static String safeId(String id) {
    return id == null || id.isEmpty() ? "toolu_" + UUID.randomUUID().toString().replace("-", "")
        : AnthropicIds.toolId(id, "tool call");
  }

  /** Whether several tools may be called at once: Anthropic says it the other way round. */
  public static Boolean parallel(JsonObject choice) {
    return choice != null && choice.getValue("disable_parallel_tool_use") instanceof Boolean off ? !off : null;
  }
}
