package io.kimiproxy.proxy.inbound.messages;

import io.kimiproxy.config.WireType;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.json.JsonIndex;
import io.kimiproxy.core.json.JsonValues;
import io.kimiproxy.core.json.Span;
import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.core.model.InboundApi;
import io.kimiproxy.proxy.inbound.InboundFormat;
import io.kimiproxy.proxy.inbound.ModelNames;
import io.kimiproxy.proxy.stream.ClientStream;
import io.kimiproxy.proxy.wire.NonStreamReply;
import io.kimiproxy.proxy.wire.UpstreamCall;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Anthropic's Messages API ({@code POST /v1/messages}), as Claude Code speaks it. The model name
 * the client asked for is mapped to an alias ({@code [inbound.anthropic]}); answers and errors go
 * back in Anthropic's shapes, as the provider's own bytes when the provider speaks Anthropic too.
 * One format per configuration generation; the decoder and its cache are shared by all of them.
 */
public final class MessagesFormat implements InboundFormat {
  private static final String BETA = "anthropic-beta";
  private static final String VERSION = "anthropic-version";

  private final MessagesDecoder decoder;
  private final ModelNames names;

  public MessagesFormat(MessagesDecoder decoder, ModelNames names) {
    this.decoder = decoder;
    this.names = names;
  }

  @Override
  public InboundApi api() {
    return InboundApi.MESSAGES;
  }

  @Override
  public ChatRequest decode(Buffer body, MultiMap headers) {
    ChatRequest request = decoder.decode(body);
    String model = names.resolve(request.model());
    return model.equals(request.model()) ? request : request.withModel(model);
  }

  @Override
  public ClientStream stream(ChatRequest request) {
    return new MessagesClientStream(requestedModel(request));
  }

  @Override
  public Buffer whole(NonStreamReply reply, ChatRequest request) {
    if (reply.origin() != null) return reply.origin();
    return MessagesReply.of(reply.json(), reply.usage(), requestedModel(request)).toBuffer();
  }

  @Override
  public void sendError(HttpServerResponse response, ProxyError error) {
    MessagesErrors.send(response, error);
  }

  /**
   * An Anthropic provider gets the client's betas (thinking, context management, tool features its
   * body relies on) beside any the provider's config sets, and the client's API version, which is
   * the version its body is written in.
   */
  @Override
  public void forwardHeaders(MultiMap client, UpstreamCall call, WireType provider) {
    if (provider != WireType.ANTHROPIC) return;
    String betas = client.get(BETA);
    if (betas != null && !betas.isBlank()) {
      Set<String> all = new LinkedHashSet<>();
      for (String header : new String[] {call.headers().get(BETA), betas}) {
        if (header == null) continue;
        for (String beta : header.split(",")) {
          if (!beta.isBlank()) all.add(beta.trim());
        }
      }
      call.headers().set(BETA, String.join(",", all));
    }
    String version = client.get(VERSION);
    if (version != null && !version.isBlank()) call.headers().set(VERSION, version);
  }

  /** The model name as the client wrote it: answers name it, not the alias it was routed to. */
  static String requestedModel(ChatRequest request) {
    JsonIndex raw = request.raw();
    Span span = raw == null ? null : raw.field("model");
    return span != null && JsonValues.decode(raw.bytes(), span) instanceof String name ? name : request.model();
  }
}
