package io.kimiproxy.proxy.wire.gemini;

import io.kimiproxy.core.error.ErrorType;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.proxy.wire.ErrorBodies;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Gemini's error envelope ({@code {"error":{"code","message","status","details"}}}, wrapped in an
 * array by the streaming endpoint) in OpenAI's shape: the HTTP status kept, the Gemini status
 * string ("RESOURCE_EXHAUSTED") as the code, the type read from it, and the wait Gemini asks for
 * in a RetryInfo detail offered as Retry-After when the response had no such header.
 */
final class GeminiErrors {
  private GeminiErrors() {}

  static ProxyError toError(int status, Buffer body, String retryAfter) {
    JsonObject error = envelope(body);
    String wait = retryAfter != null ? retryAfter : retryDelay(error);
    ProxyError parsed = ErrorBodies.parse(status, body, wait);
    String geminiStatus = error != null && error.getValue("status") instanceof String s ? s : "";
    return ProxyError.fromUpstream(status, type(geminiStatus, status), parsed.code(), parsed.param(), parsed.getMessage(), wait);
  }

  /** An error event inside a 200 stream: its own code is the only status there is. */
  static ProxyError inStream(JsonObject event) {
    int status = event.getValue("error") instanceof JsonObject e && e.getValue("code") instanceof Number n ? n.intValue() : 500;
    return toError(status, event.toBuffer(), null);
  }

  private static String type(String geminiStatus, int status) {
    return switch (geminiStatus) {
      case "UNAUTHENTICATED" -> ErrorType.AUTHENTICATION;
      case "PERMISSION_DENIED" -> ErrorType.PERMISSION;
      case "NOT_FOUND" -> ErrorType.NOT_FOUND;
      case "RESOURCE_EXHAUSTED" -> ErrorType.RATE_LIMIT;
      case "UNAVAILABLE" -> ErrorType.OVERLOADED; // "The model is overloaded. Please try again later."
      case "DEADLINE_EXCEEDED" -> ErrorType.TIMEOUT;
      default -> ErrorType.forStatus(status);
    };
  }

  private static JsonObject envelope(Buffer body) {
    String text = body == null ? "" : body.toString().trim();
    try {
      Object parsed = text.startsWith("{") ? new JsonObject(text) : text.startsWith("[") ? new JsonArray(text) : null;
      if (parsed instanceof JsonArray array && !array.isEmpty()) parsed = array.getValue(0);
      return parsed instanceof JsonObject json && json.getValue("error") instanceof JsonObject error ? error : null;
    } catch (RuntimeException e) {
      return null; // not JSON: ErrorBodies keeps the text as the message
    }
  }

  /** google.rpc.RetryInfo's retryDelay ("33s", "0.5s") in whole seconds, rounded up; null when absent. */
  private static String retryDelay(JsonObject error) {
    if (error == null || !(error.getValue("details") instanceof JsonArray details)) return null;
    for (Object item : details) {
      if (item instanceof JsonObject detail && detail.getValue("retryDelay") instanceof String delay && delay.endsWith("s")) {
        try {
          return String.valueOf((long) Math.ceil(Double.parseDouble(delay.substring(0, delay.length() - 1))));
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    return null;
  }
}
