package io.kimiproxy.api.http;

import io.kimiproxy.core.error.ErrorType;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.http.SecurityHeaders;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * The answer to a request the HTTP decoder could not take: too long a request line (414), too
 * large a head (431), ambiguous framing ({@link StrictFraming}) or any other malformed head (400).
 * In OpenAI's error shape like every other error, with the security headers, and the connection is
 * closed afterwards: after a malformed request the next byte on it may be anywhere.
 */
public final class InvalidRequests {
  private InvalidRequests() {}

  public static void answer(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    HttpServerResponse response = request.response();
    SecurityHeaders.apply(response);
    ProxyError error = error(cause);
    response.setStatusCode(error.status())
        .putHeader("Content-Type", "application/json")
        .putHeader("Connection", "close")
        .end(error.toJson().toBuffer())
        .onComplete(done -> request.connection().close());
  }

  static ProxyError error(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return ProxyError.of(414, ErrorType.INVALID_REQUEST, "uri_too_long", "The request line is longer than the proxy accepts.");
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return ProxyError.of(431, ErrorType.INVALID_REQUEST, "headers_too_large",
          "The request's headers are larger than the proxy accepts.");
    }
    if (cause instanceof StrictFraming.AmbiguousFraming framing) {
      return ProxyError.of(400, ErrorType.INVALID_REQUEST, "ambiguous_framing", framing.getMessage());
    }
    return ProxyError.of(400, ErrorType.INVALID_REQUEST, "malformed_request", "The request is not valid HTTP/1.1.");
  }
}
