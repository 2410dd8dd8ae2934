package io.kimiproxy.proxy.wire.responses;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.model.ToolChoice;
import io.kimiproxy.core.model.ToolDefinition;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Responses tool definitions ({@code {"type":"function","name","description","parameters","strict"}},
 * flat, unlike Chat Completions') and {@code tool_choice}. Only function tools have a neutral form:
 * hosted tools (web_search, file_search, namespaces, custom tools...) stay in the client's bytes for
 * a provider that speaks Responses and are refused by name for any other.
 */
public final class ResponsesTools {
  private ResponsesTools() {}

  /** The function tools; every tool must be an object with a type, a function one with a name. */
  public static List<ToolDefinition> decode(JsonArray tools) {
    List<ToolDefinition> out = new ArrayList<>(tools.size());
    for (int i = 0; i < tools.size(); i++) {
      JsonObject tool = tool(tools, i);
      if (!"function".equals(tool.getValue("type"))) continue;
      if (!(tool.getValue("name") instanceof String name) || name.isEmpty()) {
        throw ProxyError.invalidRequest("tools[" + i + "] is a function without a 'name'.", "tools");
      }
      JsonObject extra = tool.getValue("strict") instanceof Boolean strict ? new JsonObject().put("strict", strict) : null;
      out.add(new ToolDefinition(name, tool.getValue("description") instanceof String d ? d : null,
          tool.getValue("parameters") instanceof JsonObject p ? p : null, extra));
    }
    return out;
  }

  /** The types of the tools that are not functions, each once, in order. */
  public static Set<String> foreignTypes(JsonArray tools) {
    Set<String> out = new LinkedHashSet<>();
    for (int i = 0; i < tools.size(); i++) {
      Object type = tool(tools, i).getValue("type");
      if (!"function".equals(type)) out.add(String.valueOf(type));
    }
    return out;
  }

  private static JsonObject tool(JsonArray tools, int i) {
    if (!(tools.getValue(i) instanceof JsonObject tool) || !(tool.getValue("type") instanceof String)) {
      throw ProxyError.invalidRequest("tools[" + i + "] must be an object with a 'type'.", "tools");
    }
    return tool;
  }

  /**
   * The neutral choice: {@code auto}, {@code none}, {@code required}, {@code {"type":"function","name"}},
   * or {@code allowed_tools}' mode. A hosted tool's choice ({@code {"type":"web_search"}}) has none:
   * null, and {@link #foreignChoice} names it.
   */
  public static ToolChoice decodeChoice(Object choice) {
    if (choice == null) return null;
    if (choice instanceof String mode) {
      return switch (mode) {
        case "auto" -> ToolChoice.AUTO;
        case "none" -> ToolChoice.NONE;
        case "required" -> ToolChoice.REQUIRED;
        default -> throw badChoice();
      };
    }
    if (!(choice instanceof JsonObject o) || !(o.getValue("type") instanceof String type)) throw badChoice();
    if (type.equals("function")) {
      if (!(o.getValue("name") instanceof String name) || name.isEmpty()) throw badChoice();
      return ToolChoice.named(name);
    }
    if (type.equals("allowed_tools")) return "required".equals(o.getValue("mode")) ? ToolChoice.REQUIRED : ToolChoice.AUTO;
    return null;
  }

  /** The type of a choice that forces a hosted tool, or null. */
  public static String foreignChoice(Object choice) {
    if (choice instanceof JsonObject o && o.getValue("type") instanceof String type
        && !type.equals("function") && !type.equals("allowed_tools")) {
      return type;
    }
    return null;
  }

  private static ProxyError badChoice() {
    return ProxyError.invalidRequest("'tool_choice' must be \"auto\", \"none\", \"required\", "
        + "{\"type\":\"function\",\"name\"}, {\"type\":\"allowed_tools\",...} or a hosted tool's choice.", "tool_choice");
  }
}
