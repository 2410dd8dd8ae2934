package io.kimiproxy.core.http;

import io.kimiproxy.core.error.ProxyError;
import io.vertx.core.http.HttpServerResponse;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Writes failures in OpenAI's error shape; anything unexpected becomes a plain 500, never a stack trace. */
public final class ErrorReplies {
  private static final Logger LOG = Logger.getLogger(ErrorReplies.class.getName());

  private ErrorReplies() {}

  public static ProxyError asProxyError(Throwable failure) {
    if (failure instanceof ProxyError error) return error;
    LOG.log(Level.SEVERE, "unexpected failure while handling a request", failure);
    return ProxyError.internal("The proxy failed unexpectedly; see its log for details.");
  }

  public static void send(HttpServerResponse response, ProxyError error) {
    if (response.headWritten()) {
      if (!response.ended()) response.end();
      return;
    }
    response.setStatusCode(error.status()).putHeader("Content-Type", "application/json");
    if (error.retryAfter() != null) response.putHeader("Retry-After", error.retryAfter());
    response.end(error.toJson().toBuffer());
  }
}
