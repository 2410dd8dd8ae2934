package io.kimiproxy.core.tokens;

import com.knuddels.jtokkit.api.Encoding;
import io.kimiproxy.core.model.ToolDefinition;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * What one tool definition costs. OpenAI does not send the JSON schema to the model: it renders
 * each function as a TypeScript type in a {@code namespace functions} block, which is much smaller
 * than the JSON. The constants are OpenAI's cookbook figures ("How to count tokens with tiktoken",
 * num_tokens_for_tools); nested objects and array items are walked the same way. Other families
 * inject the JSON schema itself, so there the encoded JSON is counted.
 */
final class ToolDefinitionTokens {
  /** Closing the namespace block, once per request that has tools. */
  static final int OPENAI_TOOLS_END = 12;
  private static final int PROPERTIES_START = 3;
  private static final int PROPERTY = 3;
  private static final int ENUM_START = -3;
  private static final int ENUM_ITEM = 3;

  private ToolDefinitionTokens() {}

  static int of(Encoding encoding, ModelFamily family, ToolDefinition tool) {
    if (!family.typeScriptTools()) return encoding.countTokensOrdinary(asJson(tool));
    // gpt-3.5/gpt-4 (cl100k) open each function with 10 tokens, the o200k models with 7.
    int tokens = family.encoding() == com.knuddels.jtokkit.api.EncodingType.O200K_BASE ? 7 : 10;
    tokens += encoding.countTokensOrdinary(tool.name() + ":" + withoutFinalDot(tool.description()));
    if (tool.parameters() != null) tokens += properties(encoding, tool.parameters());
    return tokens;
  }

  /** The definition as the JSON the other families' templates inject. */
  private static String asJson(ToolDefinition tool) {
    JsonObject fn = new JsonObject().put("name", tool.name());
    if (tool.description() != null) fn.put("description", tool.description());
    if (tool.parameters() != null) fn.put("parameters", tool.parameters());
    return new JsonObject().put("type", "function").put("function", fn).encode();
  }

  private static int properties(Encoding encoding, JsonObject schema) {
    if (!(schema.getValue("properties") instanceof JsonObject props) || props.isEmpty()) return 0;
    int tokens = PROPERTIES_START;
    for (Map.Entry<String, Object> entry : props) {
      if (!(entry.getValue() instanceof JsonObject p)) continue;
      tokens += PROPERTY;
      if (p.getValue("enum") instanceof JsonArray values) {
        tokens += ENUM_START;
        for (Object value : values) {
          tokens += ENUM_ITEM + encoding.countTokensOrdinary(String.valueOf(value));
        }
      }
      String type = p.getValue("type") instanceof String s ? s : p.getValue("type") == null ? "" : String.valueOf(p.getValue("type"));
      tokens += encoding.countTokensOrdinary(entry.getKey() + ":" + type + ":" + withoutFinalDot(p.getValue("description")));
      tokens += properties(encoding, p);
      if (p.getValue("items") instanceof JsonObject items) tokens += properties(encoding, items);
    }
    return tokens;
  }

  private static String withoutFinalDot(Object description) {
    if (!(description instanceof String d)) return "";
    return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
  }
}
