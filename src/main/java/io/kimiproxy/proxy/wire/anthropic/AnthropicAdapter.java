package io.kimiproxy.proxy.wire.anthropic;

import io.kimiproxy.config.ProviderConfig;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.core.model.InboundApi;
import io.kimiproxy.proxy.routing.Route;
import io.kimiproxy.proxy.wire.NonStreamReply;
import io.kimiproxy.proxy.wire.ProbeCall;
import io.kimiproxy.proxy.wire.StreamDecoder;
import io.kimiproxy.proxy.wire.UpstreamCall;
import io.kimiproxy.proxy.wire.WireAdapter;
import io.kimiproxy.proxy.wire.WireCalls;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Anthropic's Messages API ({@code POST <base>/messages}), as served by Anthropic and by Kimi's
 * Anthropic-compatible endpoint. The request, answer, stream and error mappings live in their own
 * classes; this one only adds the call's path and headers.
 */
public final class AnthropicAdapter implements WireAdapter {
  /** The API version the mappings are written against; a provider's headers may override it. */
  static final String API_VERSION = "2023-06-01";

  @Override
  public UpstreamCall toUpstream(ChatRequest request, Route route) {
    if (passthrough(request)) {
      return WireCalls.post(route.provider(), "/messages", AnthropicBodies.spliced(request, route.upstreamModel()),
          request.stream(), AnthropicAdapter::authenticate);
    }
    JsonObject body = AnthropicRequestMapper.toMessagesRequest(request, route.upstreamModel());
    return WireCalls.post(route.provider(), "/messages", body, request.stream(), AnthropicAdapter::authenticate);
  }

  /** An Anthropic client's request goes out as its own bytes, and its answer comes back as the provider's. */
  private static boolean passthrough(ChatRequest request) {
    return request.api() == InboundApi.MESSAGES && request.raw() != null;
  }

  @Override
  public ProbeCall modelsList(ProviderConfig provider) {
    return WireCalls.modelsList(provider, AnthropicAdapter::authenticate);
  }

  private static void authenticate(ProviderConfig provider, MultiMap headers) {
    headers.add("anthropic-version", API_VERSION);
    if (provider.apiKey() != null) headers.add("x-api-key", provider.apiKey().reveal());
    // Configured headers replace defaults rather than doubling them (anthropic-version, anthropic-beta).
    provider.headers().forEach(headers::set);
  }


  @Override
  public NonStreamReply fromUpstream(Buffer body, Route route) {
    JsonObject message;
    try {
      message = new JsonObject(body);
    } catch (RuntimeException e) {
      throw ProxyError.badUpstreamResponse(route.provider().name(), "the answer is not a JSON object");
    }
    if (!(message.getValue("content") instanceof JsonArray)) {
      throw ProxyError.badUpstreamResponse(route.provider().name(), "the answer has no content array");
    }
    JsonObject completion = AnthropicResponseMapper.toChatCompletion(message, nowSeconds());
    return new NonStreamReply(completion.toBuffer(), completion.getJsonObject("usage"), completion, body);
  }

  @Override
  public StreamDecoder newStreamDecoder(ChatRequest request, Route route) {
    return passthrough(request) ? new AnthropicPassthroughDecoder(route.provider().name(), nowSeconds())
        : new AnthropicStreamDecoder(route.provider().name(), nowSeconds());
  }

  @Override
  public ProxyError toError(int status, Buffer body, String retryAfter, Route route) {
    return AnthropicErrors.fromResponse(status, body, retryAfter);
  }

  /** Anthropic's answers carry no creation time; OpenAI's carry the second they were made. */
  private static long nowSeconds() {
    return System.currentTimeMillis() / 1000;
  }
}
