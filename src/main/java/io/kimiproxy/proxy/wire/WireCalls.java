package io.kimiproxy.proxy.wire;

import io.kimiproxy.config.ProviderConfig;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.proxy.sse.SseEvent;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.function.BiConsumer;

/** What every adapter builds alike: its calls (JSON in, JSON or SSE out) and the reading of a stream event. */
public final class WireCalls {
  private WireCalls() {}

  /** A POST of {@code body} to the provider's base path plus {@code endpoint}, authenticated by {@code auth}. */
  public static UpstreamCall post(ProviderConfig provider, String endpoint, JsonObject body, boolean stream,
                                  BiConsumer<ProviderConfig, MultiMap> auth) {
    return post(provider, endpoint, body.toBuffer(), stream, auth);
  }

  /** Like {@link #post(ProviderConfig, String, JsonObject, boolean, BiConsumer)} with the body's bytes ready. */
  public static UpstreamCall post(ProviderConfig provider, String endpoint, Buffer body, boolean stream,
                                  BiConsumer<ProviderConfig, MultiMap> auth) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .add("Content-Type", "application/json")
        .add("Accept", stream ? "text/event-stream" : "application/json");
    auth.accept(provider, headers);
    return new UpstreamCall(provider.basePath() + endpoint, headers, body, stream);
  }

  /** The provider's models list, authenticated like its calls: what diagnostics use to reach it. */
  public static ProbeCall modelsList(ProviderConfig provider, BiConsumer<ProviderConfig, MultiMap> auth) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Accept", "application/json");
    auth.accept(provider, headers);
    return new ProbeCall(provider.basePath() + "/models", headers);
  }

  /** The event's JSON, or null after telling the sink the provider sent something that is not JSON. */
  public static JsonObject json(SseEvent event, String provider, ChunkSink sink) {
    try {
      return new JsonObject(event.data());
    } catch (RuntimeException e) {
      sink.error(ProxyError.badUpstreamResponse(provider, "a stream event is not a JSON object"));
      return null;
    }
  }
}
