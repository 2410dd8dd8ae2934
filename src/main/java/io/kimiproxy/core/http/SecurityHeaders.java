package io.kimiproxy.core.http;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerResponse;

/**
 * The headers every answer carries, so that no page elsewhere can frame the dashboard (one click
 * at 1 % opacity is enough to switch a feature off) or make a browser read an answer as something
 * it is not.
 */
public final class SecurityHeaders {
  /** JSON, errors, exports, metrics: nothing in them is to be rendered, run or framed. */
  static final String ANSWER_POLICY = "default-src 'none'; frame-ancestors 'none'";
  /**
   * The dashboard's own files: its scripts, styles and WebSocket from the proxy itself and from
   * nowhere else; no inline code, no plugins, no form posted anywhere, no framing.
   */
  static final String PAGE_POLICY = "default-src 'self'; img-src 'self' data:; connect-src 'self'; "
      + "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private SecurityHeaders() {}

  public static void apply(HttpServerResponse response) {
    MultiMap headers = response.headers();
    headers.set("X-Frame-Options", "DENY");
    headers.set("Content-Security-Policy", ANSWER_POLICY);
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("Referrer-Policy", "no-referrer");
  }

  /** The dashboard's page and files, which the browser runs. */
  public static void applyToPage(HttpServerResponse response) {
    apply(response);
    response.headers().set("Content-Security-Policy", PAGE_POLICY);
  }
}
