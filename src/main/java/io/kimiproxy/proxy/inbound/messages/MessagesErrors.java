package io.kimiproxy.proxy.inbound.messages;

import io.kimiproxy.core.error.ErrorType;
import io.kimiproxy.core.error.ProxyError;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * Failures in Anthropic's error shape, {@code {"type":"error","error":{"type","message"}}}, with the
 * status kept: Anthropic's SDKs (Claude Code's among them) retry by status and show the message.
 */
final class MessagesErrors {
  private MessagesErrors() {}

  static void send(HttpServerResponse response, ProxyError error) {
    if (response.headWritten()) {
      if (!response.ended()) response.end();
      return;
    }
    response.setStatusCode(error.status()).putHeader("Content-Type", "application/json");
    if (error.retryAfter() != null) response.putHeader("Retry-After", error.retryAfter());
    response.end(body(error).toBuffer());
  }

  static JsonObject body(ProxyError error) {
    return new JsonObject().put("type", "error")
        .put("error", new JsonObject().put("type", type(error)).put("message", error.getMessage()));
  }

  /** Anthropic's error type for a failure: by status, as Anthropic itself assigns them. */
  static String type(ProxyError error) {
    return switch (error.status()) {
      case 401 -> "authentication_error";
      case 402 -> "billing_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 408, 504 -> "timeout_error";
      case 503, 529 -> "overloaded_error";
      default -> error.status() >= 500 || ErrorType.SERVER.equals(error.type()) ? "api_error" : "invalid_request_error";
    };
  }
}
