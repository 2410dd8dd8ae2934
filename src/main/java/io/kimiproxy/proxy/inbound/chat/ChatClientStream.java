package io.kimiproxy.proxy.inbound.chat;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.proxy.stream.ClientStream;
import io.kimiproxy.proxy.stream.SseFrames;
import io.kimiproxy.proxy.wire.Chunk;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * A Chat Completions stream: each chunk as {@code data:} (the provider's own bytes while nobody
 * changed it), exactly one usage chunk at the end when the client asked for usage, then
 * {@code data: [DONE]}; a failure after the start is an error event, then {@code [DONE]}.
 */
final class ChatClientStream implements ClientStream {
  private static final Buffer DONE = Buffer.buffer(SseFrames.DONE);
  private final boolean includeUsage;

  ChatClientStream(boolean includeUsage) {
    this.includeUsage = includeUsage;
  }

  @Override
  public Buffer chunk(Chunk chunk) {
    JsonObject json = chunk.json();
    if (json.containsKey("usage") && (json.getValue("usage") != null || !includeUsage)) {
      // Usage travels in the final chunk only; "usage": null is OpenAI's own marker when it was asked for.
      if (includeUsage) json.putNull("usage"); else json.remove("usage");
      chunk.changed();
    }
    return SseFrames.event(chunk.wire());
  }

  @Override
  public Buffer end(JsonObject lastChunk, JsonObject usage) {
    if (!includeUsage) return DONE;
    return SseFrames.event(SseFrames.usageChunk(lastChunk, usage).encode()).appendBuffer(DONE);
  }

  @Override
  public Buffer error(ProxyError error) {
    return SseFrames.event(error.toJson().encode()).appendBuffer(DONE);
  }
}
