package io.kimiproxy.proxy.inbound.responses;

import io.kimiproxy.core.error.ProxyError;
import io.vertx.core.json.JsonObject;

/** The Responses API's nested options in the neutral model's (Chat Completions') terms. */
final class ResponsesOptions {
  private ResponsesOptions() {}

  /** {@code reasoning.effort}: minimal, low, medium, high... as OpenAI names it; null when unset. */
  static String effort(JsonObject reasoning) {
    if (reasoning == null || reasoning.getValue("effort") == null) return null;
    if (!(reasoning.getValue("effort") instanceof String effort)) {
      throw ProxyError.invalidRequest("'reasoning.effort' must be a string.", "reasoning");
    }
    return effort;
  }

  /**
   * {@code text.format} as Chat Completions' {@code response_format}: {@code json_object} as it is,
   * {@code json_schema} with its name, schema and strictness under {@code json_schema}; plain text
   * (the default) as none.
   */
  static JsonObject responseFormat(JsonObject text) {
    if (text == null || text.getValue("format") == null) return null;
    if (!(text.getValue("format") instanceof JsonObject format) || !(format.getValue("type") instanceof String type)) {
      throw ProxyError.invalidRequest("'text.format' must be an object with a 'type'.", "text");
    }
    return switch (type) {
      case "text" -> null;
      case "json_object" -> new JsonObject().put("type", "json_object");
      case "json_schema" -> {
        if (!(format.getValue("schema") instanceof JsonObject schema)) {
          throw ProxyError.invalidRequest("'text.format' of type json_schema needs a 'schema' object.", "text");
        }
        JsonObject spec = new JsonObject().put("name", format.getValue("name") instanceof String n ? n : "response")
            .put("schema", schema);
        if (format.getValue("strict") instanceof Boolean strict) spec.put("strict", strict);
        if (format.getValue("description") instanceof String d) spec.put("description", d);
        yield new JsonObject().put("type", "json_schema").put("json_schema", spec);
      }
      default -> throw ProxyError.invalidRequest("'text.format.type' must be text, json_object or json_schema.", "text");
    };
  }
}
