package io.kimiproxy.proxy.wire.anthropic;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.proxy.routing.Route;
import io.kimiproxy.proxy.wire.NonStreamReply;
import io.kimiproxy.proxy.wire.StreamDecoder;
import io.kimiproxy.proxy.wire.UpstreamCall;
import io.kimiproxy.proxy.wire.WireAdapter;
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
    JsonObject body = AnthropicRequestMapper.toMessagesRequest(request, route.upstreamModel());
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .add("Content-Type", "application/json")
        .add("Accept", request.stream() ? "text/event-stream" : "application/json")
        .add("anthropic-version", API_VERSION);
    if (route.provider().apiKey() != null) {
      headers.add("x-api-key", route.provider().apiKey().reveal());
    }
    // Configured headers replace defaults rather than doubling them (anthropic-version, anthropic-beta).
    route.provider().headers().forEach(headers::set);
    String base = route.provider().baseUrl().getRawPath();
    return new UpstreamCall((base == null ? "" : base) + "/messages", headers, body.toBuffer(), request.stream());
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
    return new NonStreamReply(completion.toBuffer(), completion.getJsonObject("usage"), completion);
  }

  @Override
  public StreamDecoder newStreamDecoder(ChatRequest request, Route route) {
    return new AnthropicStreamDecoder(route.provider().name(), nowSeconds());
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
