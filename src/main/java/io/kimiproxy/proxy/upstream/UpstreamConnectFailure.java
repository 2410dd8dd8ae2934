package io.kimiproxy.proxy.upstream;

import io.kimiproxy.core.error.ProxyError;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/** A connection to a provider that could not be opened: refused, unresolvable, or too slow. */
record UpstreamConnectFailure(String provider, Throwable cause) {
  ProxyError asError() {
    String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    // Vert.x reports connect_timeout_s passing as a TimeoutException ("...exceeded when getting a
    // connection"); Netty's own connect timeout says "timed out".
    if (cause instanceof TimeoutException || message.toLowerCase(Locale.ROOT).contains("timed out")) {
      return ProxyError.upstreamTimeout(provider, "connect");
    }
    return ProxyError.upstreamUnreachable(provider, message);
  }
}
