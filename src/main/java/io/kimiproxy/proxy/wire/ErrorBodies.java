package io.kimiproxy.proxy.wire;

import io.kimiproxy.core.error.ProxyError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Reads the error bodies providers send ({@code {"error":{...}}}, {@code {"error":"..."}},
 * {@code {"message":...}}, {@code {"detail":...}}, Gemini's and Anthropic's envelopes, plain text)
 * into one {@link ProxyError} with the provider's status and message.
 */
public final class ErrorBodies {
  private static final int MAX_TEXT = 600;

  private ErrorBodies() {}

  public static ProxyError parse(int status, Buffer body, String retryAfter) {
    String text = body == null ? "" : body.toString().trim();
    String message = null;
    String type = null;
    String code = null;
    String param = null;
    Object parsed = tryParse(text);
    if (parsed instanceof JsonArray array && !array.isEmpty()) {
      parsed = array.getValue(0); // Gemini streaming endpoints wrap the envelope in an array
    }
    if (parsed instanceof JsonObject json) {
      Object error = json.getValue("error");
      if (error instanceof JsonObject e) {
        message = stringOf(e.getValue("message"));
        type = e.getValue("type") instanceof String t ? t : null;
        code = e.getValue("code") != null ? String.valueOf(e.getValue("code")) : null;
        param = e.getValue("param") instanceof String p ? p : null;
        if (type == null && e.getValue("status") instanceof String s) code = s; // Gemini: "RESOURCE_EXHAUSTED"
      } else if (error instanceof String s) {
        message = s;
      }
      if (message == null) message = stringOf(json.getValue("message"));
      if (message == null) message = stringOf(json.getValue("detail"));
      if (type == null && json.getValue("type") instanceof String t && !t.equals("error")) type = t;
    }
    if (message == null || message.isBlank()) {
      message = text.isEmpty() ? "Provider answered HTTP " + status + " with an empty body." : truncate(text);
    }
    return ProxyError.fromUpstream(status, type, code, param, message, retryAfter);
  }

  private static Object tryParse(String text) {
    if (text.isEmpty() || (text.charAt(0) != '{' && text.charAt(0) != '[')) return null;
    try {
      return text.charAt(0) == '{' ? new JsonObject(text) : new JsonArray(text);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String stringOf(Object value) {
    if (value == null) return null;
    if (value instanceof String s) return s;
    return truncate(value instanceof JsonObject o ? o.encode() : value instanceof JsonArray a ? a.encode() : value.toString());
  }

  private static String truncate(String text) {
    return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
  }
}
