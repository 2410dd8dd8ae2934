package io.kimiproxy.proxy.inbound.responses;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.http.ErrorReplies;
import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.core.model.InboundApi;
import io.kimiproxy.proxy.inbound.InboundFormat;
import io.kimiproxy.proxy.stream.ClientStream;
import io.kimiproxy.proxy.wire.NonStreamReply;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * OpenAI's Responses API ({@code POST /v1/responses}), for Codex and the OpenAI SDKs'
 * {@code responses.create}: stateless (the client sends its whole conversation each turn), streamed
 * as Responses events or answered whole as a {@code response} object; errors in OpenAI's shape, which
 * is the same as Chat Completions'.
 */
public final class ResponsesFormat implements InboundFormat {
  private final ResponsesDecoder decoder;

  public ResponsesFormat(ResponsesDecoder decoder) {
    this.decoder = decoder;
  }

  @Override
  public InboundApi api() {
    return InboundApi.RESPONSES;
  }

  @Override
  public ChatRequest decode(Buffer body, MultiMap headers) {
    return decoder.decode(body);
  }

  @Override
  public ClientStream stream(ChatRequest request) {
    return new ResponsesClientStream(new ResponseShape(request));
  }

  @Override
  public Buffer whole(NonStreamReply reply, ChatRequest request) {
    return ResponsesReply.of(reply, new ResponseShape(request));
  }

  @Override
  public void sendError(HttpServerResponse response, ProxyError error) {
    ErrorReplies.send(response, error);
  }
}
