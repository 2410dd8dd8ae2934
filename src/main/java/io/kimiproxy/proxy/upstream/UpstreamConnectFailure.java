package io.kimiproxy.proxy.upstream;

import io.kimiproxy.core.error.ProxyError;

/** A connection to a provider that could not be opened: refused, unresolvable, or too slow. */
record UpstreamConnectFailure(String provider, Throwable cause) {
  ProxyError asError() {
    String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    if (message.toLowerCase(java.util.Locale.ROOT).contains("timed out")) {
      return ProxyError.upstreamTimeout(provider, "connect");
    }
    return ProxyError.upstreamUnreachable(provider, message);
  }
}
