package io.kimiproxy.proxy.wire.anthropic;

import io.kimiproxy.core.error.ErrorType;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.proxy.wire.ErrorBodies;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Anthropic's error envelope, {@code {"type":"error","error":{"type","message"}}}, read into the
 * error the client gets. The same envelope arrives as an HTTP error body or, after a 200, as an
 * {@code error} event inside the stream; there the HTTP status is gone, so it is taken from the type.
 */
final class AnthropicErrors {

  /** The HTTP status Anthropic sends with an error type, and OpenAI's name for that type. */
  private record Kind(int status, String openAiType) {}

  private static final Map<String, Kind> KINDS = Map.ofEntries(
      Map.entry("invalid_request_error", new Kind(400, ErrorType.INVALID_REQUEST)),
      Map.entry("authentication_error", new Kind(401, ErrorType.AUTHENTICATION)),
      Map.entry("billing_error", new Kind(402, ErrorType.INSUFFICIENT_QUOTA)),
      Map.entry("permission_error", new Kind(403, ErrorType.PERMISSION)),
      Map.entry("not_found_error", new Kind(404, ErrorType.NOT_FOUND)),
      Map.entry("request_too_large", new Kind(413, ErrorType.INVALID_REQUEST)),
      Map.entry("rate_limit_error", new Kind(429, ErrorType.RATE_LIMIT)),
      Map.entry("api_error", new Kind(500, ErrorType.SERVER)),
      Map.entry("timeout_error", new Kind(504, ErrorType.TIMEOUT)),
      Map.entry("overloaded_error", new Kind(529, ErrorType.OVERLOADED)));

  /** An unknown type inside a stream: the provider failed, and trying again may help. */
  private static final Kind UNKNOWN_IN_STREAM = new Kind(500, ErrorType.SERVER);

  private AnthropicErrors() {}

  /** A non-2xx answer: the status and Retry-After are kept, the type renamed where OpenAI's differs. */
  static ProxyError fromResponse(int status, Buffer body, String retryAfter) {
    ProxyError parsed = ErrorBodies.parse(status, body, retryAfter);
    Kind kind = KINDS.get(parsed.type());
    if (kind == null) return parsed;
    return ProxyError.fromUpstream(status, kind.openAiType(), code(parsed.type(), kind, parsed.code()),
        parsed.param(), parsed.getMessage(), retryAfter);
  }

  /** An {@code error} event in a stream that had already answered 200. */
  static ProxyError fromStreamEvent(JsonObject event) {
    JsonObject error = event.getValue("error") instanceof JsonObject e ? e : new JsonObject();
    String type = error.getValue("type") instanceof String t ? t : null;
    String message = error.getValue("message") instanceof String m && !m.isBlank() ? m
        : "Provider reported an error inside the stream" + (type == null ? "." : ": " + type + ".");
    Kind kind = type == null ? UNKNOWN_IN_STREAM : KINDS.getOrDefault(type, UNKNOWN_IN_STREAM);
    return ProxyError.fromUpstream(kind.status(), kind.openAiType(), code(type, kind, null), null, message, null);
  }

  /** Where the type was renamed (api_error became server_error), Anthropic's own name stays visible as the code. */
  private static String code(String anthropicType, Kind kind, String fallback) {
    return anthropicType != null && !anthropicType.equals(kind.openAiType()) ? anthropicType : fallback;
  }
}
