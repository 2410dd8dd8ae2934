package io.kimiproxy.proxy.inbound;

import io.kimiproxy.config.WireType;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.core.model.InboundApi;
import io.kimiproxy.proxy.stream.ClientStream;
import io.kimiproxy.proxy.wire.NonStreamReply;
import io.kimiproxy.proxy.wire.UpstreamCall;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * One API clients speak (Chat Completions, Anthropic Messages, OpenAI Responses): how its requests
 * become neutral ones, and how answers and errors go back in its own shape. Every format feeds the
 * same pipeline; this is the only place where they differ.
 */
public interface InboundFormat {
  InboundApi api();

  /** The client's body as a neutral request; a malformed one is a 400 naming what is wrong. */
  ChatRequest decode(Buffer body, MultiMap headers);

  /** A fresh writer for one streamed answer to {@code request}. */
  ClientStream stream(ChatRequest request);

  /** A whole answer (the neutral answer is an OpenAI {@code chat.completion}) as this API's body. */
  Buffer whole(NonStreamReply reply, ChatRequest request);

  /** A failure, with its status and Retry-After, in this API's error shape. */
  void sendError(HttpServerResponse response, ProxyError error);

  /**
   * Adds to a provider call the client's headers that a provider speaking this same API must get
   * (Anthropic's {@code anthropic-beta}): {@code call} is the request made to a provider of type
   * {@code provider}. Nothing by default.
   */
  default void forwardHeaders(MultiMap client, UpstreamCall call, WireType provider) {}
}
