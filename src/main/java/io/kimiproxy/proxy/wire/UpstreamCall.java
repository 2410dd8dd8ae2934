package io.kimiproxy.proxy.wire;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * An HTTP call an adapter wants made: path and query relative to the provider's base URL,
 * headers (auth included) and the body. The upstream client adds host, port and TLS.
 */
public record UpstreamCall(String pathAndQuery, MultiMap headers, Buffer body, boolean stream) {}
