package io.kimiproxy.proxy.wire.openai;

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
 * The OpenAI Chat Completions wire format, spoken natively by most providers: a Chat Completions
 * client's body goes out spliced, with only the model id, the usage request for streams, the
 * messages the pipeline changed and what the provider's {@link OpenAiQuirks} rule out changed (see
 * {@link OpenAiBodies}); answers come back with tool calls and reasoning repaired.
 */
public final class OpenAiAdapter implements WireAdapter {

  @Override
  public UpstreamCall toUpstream(ChatRequest request, Route route) {
    OpenAiQuirks quirks = OpenAiQuirks.of(route.provider());
    Buffer body = request.api() == InboundApi.CHAT && request.raw() != null
        ? OpenAiBodies.spliced(request, route.upstreamModel(), quirks)
        : OpenAiBodies.encoded(request, route.upstreamModel(), quirks);
    return WireCalls.post(route.provider(), "/chat/completions", body, request.stream(), OpenAiAdapter::authenticate);
  }

  @Override
  public ProbeCall modelsList(ProviderConfig provider) {
    return WireCalls.modelsList(provider, OpenAiAdapter::authenticate);
  }

  private static void authenticate(ProviderConfig provider, MultiMap headers) {
    if (provider.apiKey() != null) headers.add("Authorization", "Bearer " + provider.apiKey().reveal());
    provider.headers().forEach(headers::add);
  }


  @Override
  public NonStreamReply fromUpstream(Buffer body, Route route) {
    Buffer trimmed = trimLeadingWhitespace(body);
    JsonObject json;
    try {
      json = trimmed.toJsonObject();
    } catch (RuntimeException e) {
      throw ProxyError.badUpstreamResponse(route.provider().name(), "the answer is not a JSON object");
    }
    boolean changed = false;
    if (json.getValue("choices") instanceof JsonArray choices) {
      ToolCallRepair toolCalls = new ToolCallRepair();
      for (Object c : choices) {
        if (c instanceof JsonObject choice && choice.getValue("message") instanceof JsonObject message) {
          changed |= OpenAiChunks.mirrorReasoning(message);
          changed |= toolCalls.repairMessage(message);
        }
      }
    }
    return new NonStreamReply(changed ? json.toBuffer() : trimmed, OpenAiChunks.usageOf(json), json);
  }

  @Override
  public StreamDecoder newStreamDecoder(ChatRequest request, Route route) {
    return new OpenAiStreamDecoder(route.provider().name());
  }

  /** Some providers send whitespace keep-alives before a non-streaming JSON body. */
  static Buffer trimLeadingWhitespace(Buffer body) {
    int i = 0;
    while (i < body.length() && Character.isWhitespace(body.getByte(i))) i++;
    return i == 0 ? body : body.slice(i, body.length());
  }
}
