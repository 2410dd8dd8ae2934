package io.kimiproxy.proxy.wire.anthropic;

import io.kimiproxy.core.error.ProxyError;
import io.vertx.core.json.JsonObject;

/** What Anthropic accepts as a tool id and as an image source, from what OpenAI-format clients send. */
final class AnthropicIds {
  private static final String DATA_PREFIX = "data:";
  private static final String BASE64_MARK = ";base64,";

  private AnthropicIds() {}

  /**
   * Anthropic accepts tool ids of letters, digits, _ and - only; ids from other providers
   * (Groq's "functions.add:0") are rewritten the same way in the call and in its result, so they still pair.
   */
  static String toolId(String id, String where) {
    if (id == null || id.isEmpty()) {
      throw ProxyError.invalidRequest(where + ": a tool call id is required to pair a call with its result.", "messages");
    }
    StringBuilder out = null;
    for (int k = 0; k < id.length(); k++) {
      char c = id.charAt(k);
      boolean safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
      if (!safe && out == null) out = new StringBuilder(id.substring(0, k));
      if (out != null) out.append(safe ? c : '_');
    }
    return out == null ? id : out.toString();
  }

  /** An image block from an http(s) URL or a base64 {@code data:} URL. */
  static JsonObject image(String url, int i) {
    if (url.startsWith(DATA_PREFIX)) {
      int comma = url.indexOf(',');
      int base64 = url.indexOf(BASE64_MARK);
      if (comma > 0 && base64 > 0 && base64 + BASE64_MARK.length() - 1 == comma) {
        String header = url.substring(DATA_PREFIX.length(), base64);
        int semicolon = header.indexOf(';');
        String mediaType = semicolon < 0 ? header : header.substring(0, semicolon);
        if (!mediaType.isEmpty()) {
          return new JsonObject().put("type", "image").put("source", new JsonObject()
              .put("type", "base64").put("media_type", mediaType).put("data", url.substring(comma + 1)));
        }
      }
    } else if (url.startsWith("https://") || url.startsWith("http://")) {
      return new JsonObject().put("type", "image").put("source", new JsonObject().put("type", "url").put("url", url));
    }
    throw ProxyError.invalidRequest("messages[" + i + "]: an image must be an http(s) URL or a base64 data: URL.", "messages");
  }
}
