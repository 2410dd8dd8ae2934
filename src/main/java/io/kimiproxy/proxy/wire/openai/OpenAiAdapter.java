package io.kimiproxy.proxy.wire.openai;

import io.kimiproxy.config.ProviderConfig;
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
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;

/**
 * The OpenAI Chat Completions wire format, spoken natively by most providers: the client's body
 * goes out with only the model id, the usage request for streams and what the provider's
 * {@link OpenAiQuirks} rule out changed; answers come back with tool calls and reasoning repaired.
 */
public final class OpenAiAdapter implements WireAdapter {

  @Override
  public UpstreamCall toUpstream(ChatRequest request, Route route) {
    // A shallow copy: top-level keys change, the (possibly huge) messages are shared, not copied.
    JsonObject body = new JsonObject(new LinkedHashMap<>(request.body().getMap()));
    body.put("model", route.upstreamModel());
    OpenAiQuirks quirks = OpenAiQuirks.of(route.provider());
    if (!quirks.streamOptions()) {
      body.remove("stream_options");
    } else if (request.stream()) {
      JsonObject options = request.body().getValue("stream_options") instanceof JsonObject o
          ? o.copy() : new JsonObject();
      body.put("stream_options", options.put("include_usage", true));
    }
    if (!quirks.maxCompletionTokens() && body.getValue("max_completion_tokens") != null) {
      Object limit = body.remove("max_completion_tokens");
      body.getMap().putIfAbsent("max_tokens", limit);
    }
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
