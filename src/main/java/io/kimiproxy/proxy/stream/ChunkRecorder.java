package io.kimiproxy.proxy.stream;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.proxy.sse.SseEvent;
import io.kimiproxy.proxy.wire.Chunk;
import io.kimiproxy.proxy.wire.ChunkSink;
import io.kimiproxy.proxy.wire.StreamDecoder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a copy of the chunks a stream carries (usage apart), so the answer can be replayed later as
 * the same stream: the response cache's recording of a streamed answer. Stops keeping beyond a size
 * bound, and then says the recording is incomplete.
 */
public final class ChunkRecorder implements StreamDecoder {
  private static final long MAX_CHARS = 4L << 20;

  private final StreamDecoder inner;
  private final Runnable whenDone;
  private final List<String> chunks = new ArrayList<>();
  private JsonObject usage;
  private long chars;
  private boolean overflowed;

  private ChunkRecorder(StreamDecoder inner, Runnable whenDone) {
    this.inner = inner;
    this.whenDone = whenDone;
  }

  /** @param whenDone run when the provider says the answer is complete, just before the client hears it */
  public static ChunkRecorder around(StreamDecoder inner, Runnable whenDone) {
    return new ChunkRecorder(inner, whenDone);
  }

  @Override
  public void onEvent(SseEvent event, ChunkSink sink) {
    inner.onEvent(event, recording(sink));
  }

  @Override
  public void onEnd(ChunkSink sink) {
    inner.onEnd(recording(sink));
  }

  /** The chunks without their usage, or null when the stream was too long to keep whole. */
  public List<String> chunks() {
    return overflowed ? null : List.copyOf(chunks);
  }

  /** The last usage the stream reported, or null. */
  public JsonObject usage() {
    return usage;
  }

  private ChunkSink recording(ChunkSink sink) {
    return new ChunkSink() {
      @Override
      public void chunk(Chunk chunk) {
        keep(chunk.json());
        sink.chunk(chunk);
      }

      @Override
      public void done() {
        whenDone.run();
        sink.done();
      }

      @Override
      public void error(ProxyError error) {
        sink.error(error);
      }
    };
  }

  private void keep(JsonObject json) {
    if (json.getValue("usage") instanceof JsonObject reported) usage = reported;
    if (overflowed) return;
    JsonObject copy = json.copy();
    copy.remove("usage");
    if (copy.getValue("choices") instanceof JsonArray choices && choices.isEmpty()) return;
    String text = copy.encode();
    chars += text.length();
    if (chars > MAX_CHARS) {
      overflowed = true;
      chunks.clear();
      return;
    }
    chunks.add(text);
  }
}
