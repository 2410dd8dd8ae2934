package io.kimiproxy.api.security;

import io.kimiproxy.core.error.ErrorType;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.http.ErrorReplies;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Set;

/**
 * Requests that change something carry JSON or nothing. An HTML form or a {@code text/plain}
 * post is what a browser sends across origins without asking the server first (no CORS
 * preflight); refusing every other media type with 415 means no such request reaches a route.
 */
public final class JsonBodiesOnly implements Handler<RoutingContext> {
  private static final Set<HttpMethod> CHANGING = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
      HttpMethod.DELETE);

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (!CHANGING.contains(request.method())) {
      ctx.next();
      return;
    }
    String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
    if (type == null ? !hasBody(request) : isJson(type)) {
      ctx.next();
      return;
    }
    ErrorReplies.send(ctx, ProxyError.of(415, ErrorType.INVALID_REQUEST, "unsupported_media_type",
        request.method() + " " + request.path() + " takes a JSON body: send it with 'Content-Type: application/json'"
            + (type == null ? "" : " (not '" + type + "')") + "."));
  }

  private static boolean hasBody(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null || length != null && !length.trim().equals("0");
  }

  /** {@code application/json}, with parameters or not ({@code ; charset=utf-8}). */
  static boolean isJson(String contentType) {
    int semicolon = contentType.indexOf(';');
    String media = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
    return media.toLowerCase(Locale.ROOT).equals("application/json");
  }
}
