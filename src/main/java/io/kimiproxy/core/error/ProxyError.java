package io.kimiproxy.core.error;

import io.vertx.core.json.JsonObject;

/**
 * The one failure type of the proxy: an HTTP status, OpenAI's error type and code, and whether
 * trying again (same or another provider) may help. Failures travel as data through futures;
 * the HTTP layer renders them in OpenAI's error shape.
 */
public final class ProxyError extends RuntimeException {
  /** The code of {@link #circuitOpen}: no call was made, so there is nothing to retry on that provider. */
  public static final String CIRCUIT_OPEN = "provider_circuit_open";

  private final int status;
  private final String type;
  private final String code;
  private final String param;
  private final boolean retriable;
  private final String retryAfter;

  private ProxyError(int status, String type, String code, String param, String message,
                     boolean retriable, String retryAfter) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.code = code;
    this.param = param;
    this.retriable = retriable;
    this.retryAfter = retryAfter;
  }

  public static ProxyError of(int status, String type, String code, String message) {
    return new ProxyError(status, type, code, null, message, false, null);
  }

  public static ProxyError invalidRequest(String message, String param) {
    return new ProxyError(400, ErrorType.INVALID_REQUEST, null, param, message, false, null);
  }

  public static ProxyError payloadTooLarge(long limitBytes) {
    return of(413, ErrorType.INVALID_REQUEST, "request_too_large",
        "Request body exceeds the limit of " + (limitBytes / (1024 * 1024)) + " MB (server.max_body_mb).");
  }

  public static ProxyError unauthorized(String message) {
    return of(401, ErrorType.AUTHENTICATION, "invalid_api_key", message);
  }

  public static ProxyError forbidden(String message) {
    return of(403, ErrorType.PERMISSION, "forbidden", message);
  }

  public static ProxyError notFound(String code, String message) {
    return of(404, ErrorType.INVALID_REQUEST, code, message);
  }

  public static ProxyError upstreamUnreachable(String provider, String detail) {
    return new ProxyError(502, ErrorType.UPSTREAM, "upstream_unreachable",
        null, "Provider '" + provider + "' is unreachable: " + detail, true, null);
  }

  public static ProxyError upstreamTimeout(String provider, String which) {
    return new ProxyError(504, ErrorType.UPSTREAM, "upstream_timeout",
        null, "Provider '" + provider + "' timed out (" + which + ").", true, null);
  }

  public static ProxyError badUpstreamResponse(String provider, String detail) {
    return new ProxyError(502, ErrorType.UPSTREAM, "bad_upstream_response",
        null, "Provider '" + provider + "' sent an invalid response: " + detail, true, null);
  }

  /** The prompt does not fit the model's window: OpenAI's own code, which IDE clients recognise. */
  public static ProxyError contextLengthExceeded(String message) {
    return new ProxyError(400, ErrorType.INVALID_REQUEST, "context_length_exceeded", "messages", message, false, null);
  }

  /**
   * The provider's circuit breaker is open: it failed repeatedly and is skipped until a probe
   * succeeds. Retriable, because a fallback alias on another provider may answer.
   */
  public static ProxyError circuitOpen(String provider, long retryAfterSeconds) {
    return new ProxyError(503, ErrorType.UPSTREAM, CIRCUIT_OPEN, null, "Provider '" + provider
        + "' is failing and is skipped for now (circuit breaker open); try again shortly.", true,
        String.valueOf(retryAfterSeconds));
  }

  /** The client went away before its answer was complete; recorded, never sent. */
  public static ProxyError clientClosed() {
    return of(499, "client_closed", "client_closed", "The client closed the connection before the answer was complete.");
  }

  public static ProxyError internal(String message) {
    return of(500, ErrorType.SERVER, "internal_error", message);
  }

  /** An error the provider answered with: status and message kept, retriable per the status. */
  public static ProxyError fromUpstream(int status, String type, String code, String param,
                                        String message, String retryAfter) {
    return new ProxyError(status, type != null ? type : ErrorType.forStatus(status), code, param,
        message, isRetriableStatus(status), retryAfter);
  }

  /** 429 and transient server faults may succeed on another try; 4xx request faults never do. */
  public static boolean isRetriableStatus(int status) {
    return status == 408 || status == 429 || status == 500 || status == 502 || status == 503
        || status == 504 || status == 529;
  }

  public int status() { return status; }
  public String type() { return type; }
  public String code() { return code; }
  public String param() { return param; }
  public boolean retriable() { return retriable; }
  public String retryAfter() { return retryAfter; }

  public ProxyError withMessage(String message) {
    return new ProxyError(status, type, code, param, message, retriable, retryAfter);
  }

  public ProxyError withRetryAfter(String value) {
    return new ProxyError(status, type, code, param, getMessage(), retriable, value);
  }

  /** OpenAI's error envelope: {"error":{"message","type","param","code"}}. */
  public JsonObject toJson() {
    return new JsonObject().put("error", new JsonObject()
        .put("message", getMessage())
        .put("type", type)
        .put("param", param)
        .put("code", code));
  }

  @Override
  public String toString() {
    return status + " " + type + (code != null ? "/" + code : "") + ": " + getMessage();
  }
}
