package io.kimiproxy.proxy.wire.openai;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.model.ToolChoice;
import io.kimiproxy.core.model.ToolDefinition;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Chat Completions tool definitions and tool choice, to and from the neutral model. */
public final class OpenAiTools {
  private static final Set<String> MODELLED = Set.of("name", "description", "parameters");

  private OpenAiTools() {}

  public static List<ToolDefinition> decode(JsonArray tools) {
    List<ToolDefinition> out = new ArrayList<>(tools.size());
    for (int i = 0; i < tools.size(); i++) {
      if (!(tools.getValue(i) instanceof JsonObject tool) || !(tool.getValue("function") instanceof JsonObject fn)
          || !(fn.getValue("name") instanceof String name) || name.isEmpty()) {
        throw ProxyError.invalidRequest("tools[" + i + "] must be {\"type\":\"function\",\"function\":{\"name\",...}}.", "tools");
      }
      JsonObject extra = null;
      for (var e : fn) {
        if (MODELLED.contains(e.getKey())) continue;
        if (extra == null) extra = new JsonObject();
        extra.put(e.getKey(), e.getValue());
      }
      if (tool.getValue("cache_control") instanceof JsonObject cache) {
        extra = (extra == null ? new JsonObject() : extra).put("cache_control", cache);
      }
      out.add(new ToolDefinition(name, fn.getValue("description") instanceof String d ? d : null,
          fn.getValue("parameters") instanceof JsonObject p ? p : null, extra));
    }
    return out;
  }

  public static JsonArray encode(List<ToolDefinition> tools) {
    return encode(tools, true);
  }

  /** @param cacheControl whether the provider takes a prompt-cache breakpoint on a tool (OpenRouter does) */
  static JsonArray encode(List<ToolDefinition> tools, boolean cacheControl) {
    JsonArray out = new JsonArray();
    for (ToolDefinition tool : tools) {
      JsonObject fn = new JsonObject().put("name", tool.name());
      if (tool.description() != null) fn.put("description", tool.description());
      if (tool.parameters() != null) fn.put("parameters", tool.parameters());
      JsonObject json = new JsonObject().put("type", "function").put("function", fn);
      if (tool.extra() != null) {
        tool.extra().forEach(e -> {
          if (!e.getKey().equals("cache_control")) fn.put(e.getKey(), e.getValue());
          else if (cacheControl) json.put("cache_control", e.getValue());
        });
      }
      out.add(json);
    }
    return out;
  }

  public static ToolChoice decodeChoice(Object choice) {
    if (choice == null) return null;
    if ("auto".equals(choice)) return ToolChoice.AUTO;
    if ("none".equals(choice)) return ToolChoice.NONE;
    if ("required".equals(choice)) return ToolChoice.REQUIRED;
    if (choice instanceof JsonObject o && o.getValue("function") instanceof JsonObject fn
        && fn.getValue("name") instanceof String name) {
      return ToolChoice.named(name);
    }
    throw ProxyError.invalidRequest("'tool_choice' must be \"auto\", \"none\", \"required\" or "
        + "{\"type\":\"function\",\"function\":{\"name\"}}.", "tool_choice");
  }

  public static Object encodeChoice(ToolChoice choice) {
    return switch (choice.mode()) {
      case AUTO -> "auto";
      case NONE -> "none";
      case REQUIRED -> "required";
      case NAMED -> new JsonObject().put("type", "function").put("function", new JsonObject().put("name", choice.name()));
    };
  }
}
