package io.kimiproxy.proxy.wire;

import io.kimiproxy.proxy.sse.SseEvent;

/**
 * Turns one provider stream into OpenAI chunks. One instance per request: it may keep state
 * across events (tool-call indexes, the message id, accumulated usage).
 */
public interface StreamDecoder {
  void onEvent(SseEvent event, ChunkSink sink);

  /** The provider closed the stream; emit whatever is still pending. */
  default void onEnd(ChunkSink sink) {}
}
