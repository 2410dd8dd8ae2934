package io.kimiproxy.proxy.wire.responses;

import io.kimiproxy.config.ProviderConfig;
import io.kimiproxy.config.WireType;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.proxy.routing.Route;
import io.kimiproxy.proxy.wire.NonStreamReply;
import io.kimiproxy.proxy.wire.ProbeCall;
import io.kimiproxy.proxy.wire.StreamDecoder;
import io.kimiproxy.proxy.wire.UpstreamCall;
import io.kimiproxy.proxy.wire.WireAdapter;
import io.kimiproxy.proxy.wire.WireCalls;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * OpenAI's Responses API, for a Responses client routed to a provider that serves it (OpenAI, or an
 * OpenAI-format provider with {@code responses = true}): the client's body goes to
 * {@code /responses} spliced ({@link ResponsesBodies}), the provider's events and body come back to
 * the client as they are, and the proxy's steps read them through the neutral stream
 * ({@link ResponsesStreamDecoder}, {@link ResponsesAnswer}).
 */
public final class ResponsesAdapter implements WireAdapter {
  private static final String OPENAI_HOST = "api.openai.com";
  private final ReasoningIssuers issuers;
  private final ResponsesBodies bodies;

  /** @param cacheBytes memory for the issuers of encrypted reasoning and for what the passthrough learned of items */
  public ResponsesAdapter(long cacheBytes) {
    this.issuers = new ReasoningIssuers(cacheBytes / 2);
    this.bodies = new ResponsesBodies(issuers, cacheBytes / 2);
  }

  /** Whether the provider serves the Responses API: its {@code responses} setting, else OpenAI's own host. */
  public static boolean serves(ProviderConfig provider) {
    if (provider.type() != WireType.OPENAI) return false;
    if (provider.compat().responses() != null) return provider.compat().responses();
    String host = provider.baseUrl().getHost();
    return host != null && host.toLowerCase(Locale.ROOT).equals(OPENAI_HOST);
  }

  @Override
  public UpstreamCall toUpstream(ChatRequest request, Route route) {
    Buffer body = bodies.spliced(request, route.upstreamModel(), route.provider().name());
    return WireCalls.post(route.provider(), "/responses", body, request.stream(), ResponsesAdapter::authenticate);
  }

  @Override
  public NonStreamReply fromUpstream(Buffer body, Route route) {
    JsonObject json;
    try {
      json = body.toJsonObject();
    } catch (RuntimeException e) {
      throw ProxyError.badUpstreamResponse(route.provider().name(), "the answer is not a JSON object");
    }
    JsonObject chat = ResponsesAnswer.toChat(json, route.provider().name(), issuers);
    return new NonStreamReply(chat.toBuffer(), chat.getJsonObject("usage"), chat, body);
  }

  @Override
  public StreamDecoder newStreamDecoder(ChatRequest request, Route route) {
    return new ResponsesStreamDecoder(route.provider().name(), issuers);
  }

  @Override
  public ProbeCall modelsList(ProviderConfig provider) {
    return WireCalls.modelsList(provider, ResponsesAdapter::authenticate);
  }

  /** The same bearer key and extra headers as the provider's Chat Completions calls. */
  private static void authenticate(ProviderConfig provider, MultiMap headers) {
    if (provider.apiKey() != null) headers.add("Authorization", "Bearer " + provider.apiKey().reveal());
    provider.headers().forEach(headers::add);
  }
}
