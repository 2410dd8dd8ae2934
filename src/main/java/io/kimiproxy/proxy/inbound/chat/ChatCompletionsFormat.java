package io.kimiproxy.proxy.inbound.chat;

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

/** OpenAI Chat Completions ({@code POST /v1/chat/completions}): the neutral answer is already its shape. */
public final class ChatCompletionsFormat implements InboundFormat {
  private final ChatCompletionsDecoder decoder;

  public ChatCompletionsFormat(ChatCompletionsDecoder decoder) {
    this.decoder = decoder;
  }

  @Override
  public InboundApi api() {
    return InboundApi.CHAT;
  }

  @Override
  public ChatRequest decode(Buffer body, MultiMap headers) {
    return decoder.decode(body);
  }

  @Override
  public ClientStream stream(ChatRequest request) {
    return new ChatClientStream(request.includeUsage());
  }

  @Override
  public Buffer whole(NonStreamReply reply, ChatRequest request) {
    return reply.body();
  }

  @Override
  public void sendError(HttpServerResponse response, ProxyError error) {
    ErrorReplies.send(response, error);
  }
}
