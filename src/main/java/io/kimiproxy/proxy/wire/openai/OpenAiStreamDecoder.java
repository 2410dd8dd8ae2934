package io.kimiproxy.proxy.wire.openai;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.proxy.sse.SseEvent;
import io.kimiproxy.proxy.wire.Chunk;
import io.kimiproxy.proxy.wire.ChunkSink;
import io.kimiproxy.proxy.wire.ErrorBodies;
import io.kimiproxy.proxy.wire.StreamDecoder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** Relays OpenAI-format chunks, normalising where compatible servers differ. */
final class OpenAiStreamDecoder implements StreamDecoder {
  private final String provider;

  OpenAiStreamDecoder(String provider) {
    this.provider = provider;
  }

  @Override
  public void onEvent(SseEvent event, ChunkSink sink) {
    String data = event.data();
    if (event.isDone()) {
      sink.done();
      return;
    }
    if (data.isBlank()) return;
    JsonObject json;
    try {
      json = new JsonObject(data);
    } catch (RuntimeException e) {
      sink.error(ProxyError.badUpstreamResponse(provider, "a stream chunk is not valid JSON"));
      return;
    }
    if (json.containsKey("error") && !json.containsKey("choices")) {
      sink.error(ErrorBodies.parse(500, Buffer.buffer(data), null));
      return;
    }
    Chunk chunk = Chunk.relayed(json, data);
    if (json.getValue("usage") == null) {
      JsonObject usage = OpenAiChunks.usageOf(json);
      if (usage != null) {
        json.put("usage", usage);
        chunk.changed();
      }
    }
    sink.chunk(chunk);
  }
}
