package io.kimiproxy.core.error;

/** OpenAI's error "type" strings, and the type a bare HTTP status maps to. */
public final class ErrorType {
  public static final String INVALID_REQUEST = "invalid_request_error";
  public static final String AUTHENTICATION = "authentication_error";
  public static final String PERMISSION = "permission_error";
  public static final String NOT_FOUND = "not_found_error";
  public static final String RATE_LIMIT = "rate_limit_error";
  public static final String INSUFFICIENT_QUOTA = "insufficient_quota";
  public static final String SERVER = "server_error";
  public static final String UPSTREAM = "upstream_error";
  public static final String OVERLOADED = "overloaded_error";
  public static final String TIMEOUT = "timeout_error";

  private ErrorType() {}

  public static String forStatus(int status) {
    return switch (status) {
      case 401 -> AUTHENTICATION;
      case 403 -> PERMISSION;
      case 404 -> NOT_FOUND;
      case 408, 504 -> TIMEOUT;
      case 429 -> RATE_LIMIT;
      case 529 -> OVERLOADED;
      default -> status >= 500 ? SERVER : INVALID_REQUEST;
    };
  }
}
