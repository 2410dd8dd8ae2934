package io.kimiproxy.proxy.wire;

import io.kimiproxy.config.ProviderConfig;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.proxy.routing.Route;
import io.vertx.core.buffer.Buffer;

/**
 * A pure mapper between the OpenAI Chat Completions shape the clients speak and one wire format.
 * No I/O here: the upstream client makes the calls, the relay moves the bytes.
 */
public interface WireAdapter {

  /** The provider call for a request routed to it. */
  UpstreamCall toUpstream(ChatRequest request, Route route);

  /** A complete answer (2xx body) as an OpenAI {@code chat.completion}. */
  NonStreamReply fromUpstream(Buffer body, Route route);

  /** A fresh decoder for one streamed answer. */
  StreamDecoder newStreamDecoder(ChatRequest request, Route route);

  /** The provider's models list, authenticated like a chat call: the cheapest way to see it is up. */
  ProbeCall modelsList(ProviderConfig provider);

  /** A non-2xx answer as the error the client gets (status kept, message in OpenAI's shape). */
  default ProxyError toError(int status, Buffer body, String retryAfter, Route route) {
    return ErrorBodies.parse(status, body, retryAfter);
  }
}
