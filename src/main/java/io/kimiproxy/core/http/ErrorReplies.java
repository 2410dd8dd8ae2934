package io.kimiproxy.core.http;

import io.kimiproxy.core.error.ProxyError;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BiConsumer;
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

  /**
   * The routing context's data item holding how this request's API writes errors (a
   * {@code BiConsumer<HttpServerResponse, ProxyError>}), set by the routes of APIs with their own
   * error shape before anything can refuse the request; absent means OpenAI's shape.
   */
  public static final String SHAPE = "kimi-proxy.error-shape";

  /** A failure in the shape of the API the request was made to. */
  public static void send(RoutingContext ctx, ProxyError error) {
    BiConsumer<HttpServerResponse, ProxyError> shape = ctx.get(SHAPE);
    if (shape != null) shape.accept(ctx.response(), error); else send(ctx.response(), error);
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
