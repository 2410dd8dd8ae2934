package io.kimiproxy.proxy.wire.anthropic;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.proxy.sse.SseEvent;
import io.kimiproxy.proxy.wire.Chunk;
import io.kimiproxy.proxy.wire.ChunkSink;
import io.kimiproxy.proxy.wire.NativeEvent;
import io.kimiproxy.proxy.wire.StreamDecoder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Messages stream for an Anthropic client: decoded into chunks like any other (usage, guardrails
 * and the cache read those), each carrying the provider's event it came from, so the client is sent
 * the provider's own events. Every event yields exactly one chunk, numbered in stream order:
 * <ul>
 *   <li>the chunk the event decodes to, when it decodes to one;</li>
 *   <li>for every event of a tool_use block (its start, each input fragment, its stop), a tool-call
 *       chunk, so that a step holding or dropping the call holds or drops the whole block;</li>
 *   <li>otherwise (ping, a block's start or stop, message_stop, event types added later) a chunk
 *       without choices, which every step lets through and no client API but this one writes.</li>
 * </ul>
 * Errors are not carried: the client is sent the proxy's error event, scrubbed of keys.
 */
final class AnthropicPassthroughDecoder implements StreamDecoder {
  private final AnthropicStreamDecoder decoder;
  private final Map<Integer, Integer> toolByBlock = new HashMap<>();
  private final long created;
  private int tools;
  private long sequence;
  private String id;
  private String model;

  AnthropicPassthroughDecoder(String provider, long created) {
    this.decoder = new AnthropicStreamDecoder(provider, created);
    this.created = created;
  }

  @Override
  public void onEvent(SseEvent event, ChunkSink sink) {
    JsonObject json = parse(event);
    String type = json == null ? null : json.getValue("type") instanceof String t ? t : String.valueOf(event.event());
    if (json == null || "error".equals(type)) {
      decoder.onEvent(event, sink); // malformed, blank or an error: the decoder tells the sink
      return;
    }
    NativeEvent origin = new NativeEvent(sequence++, event.event(), event.data(), json);
    Captured captured = new Captured();
    decoder.onEvent(json, type, captured);
    Chunk carried = carried(type, json, origin, captured.chunks);
    sink.chunk(carried);
    for (Chunk chunk : captured.chunks) {
      if (chunk.json() != carried.json()) sink.chunk(chunk);
    }
    if (captured.error != null) sink.error(captured.error);
    else if (captured.done) sink.done();
  }

  @Override
  public void onEnd(ChunkSink sink) {
    decoder.onEnd(sink);
  }

  /** The one chunk that carries the event: what it decoded to, a tool-call fragment, or a chunk without choices. */
  private Chunk carried(String type, JsonObject json, NativeEvent origin, List<Chunk> decoded) {
    Integer tool = toolIndex(type, json);
    if (decoded.size() == 1 && hasChoices(decoded.get(0))) return Chunk.decoded(decoded.get(0).json(), origin);
    if (tool != null) return Chunk.decoded(fragment(tool), origin);
    return Chunk.decoded(envelope().put("choices", new JsonArray()), origin);
  }

  /** The tool call a tool_use block's event belongs to, or null for any other event. */
  private Integer toolIndex(String type, JsonObject json) {
    int block = json.getValue("index") instanceof Number n ? n.intValue() : -1;
    if ("content_block_start".equals(type) && json.getValue("content_block") instanceof JsonObject b
        && "tool_use".equals(b.getValue("type"))) {
      toolByBlock.put(block, tools++);
    }
    if ("message_start".equals(type) && json.getValue("message") instanceof JsonObject m) {
      id = m.getValue("id") instanceof String s ? s : id;
      model = m.getValue("model") instanceof String s ? s : model;
    }
    boolean ofBlock = "content_block_start".equals(type) || "content_block_delta".equals(type)
        || "content_block_stop".equals(type);
    return ofBlock ? toolByBlock.get(block) : null;
  }

  /** A fragment of a call that adds nothing to it: held and released with the call's other fragments. */
  private JsonObject fragment(int tool) {
    JsonObject call = new JsonObject().put("index", tool).put("function", new JsonObject().put("arguments", ""));
    JsonObject choice = new JsonObject().put("index", 0)
        .put("delta", new JsonObject().put("tool_calls", new JsonArray().add(call))).putNull("finish_reason");
    return envelope().put("choices", new JsonArray().add(choice));
  }

  private JsonObject envelope() {
    return new JsonObject().put("id", id).put("object", "chat.completion.chunk").put("created", created).put("model", model);
  }

  private static boolean hasChoices(Chunk chunk) {
    return chunk.json().getValue("choices") instanceof JsonArray choices && !choices.isEmpty();
  }

  private static JsonObject parse(SseEvent event) {
    if (event.data().isBlank()) return null;
    try {
      return new JsonObject(event.data());
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** What the decoder made of one event, held until the event's own chunk has gone first. */
  private static final class Captured implements ChunkSink {
    final List<Chunk> chunks = new ArrayList<>(2);
    boolean done;
    ProxyError error;

    @Override
    public void chunk(Chunk chunk) {
      chunks.add(chunk);
    }

    @Override
    public void done() {
      done = true;
    }

    @Override
    public void error(ProxyError error) {
      this.error = error;
    }
  }
}
