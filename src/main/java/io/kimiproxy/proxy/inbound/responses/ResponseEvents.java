package io.kimiproxy.proxy.inbound.responses;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.TreeMap;

/**
 * One Responses stream as the client sees it: its events framed as server-sent events with
 * {@code sequence_number}s counting from 0 without a gap, the output indexes handed out in order,
 * and the output items as they were completed (what {@code response.completed} lists). Shared by the
 * writer of translated answers and the relay of a Responses provider's own events, which may take
 * turns in one stream.
 */
final class ResponseEvents {
  private final ResponseShape shape;
  private final TreeMap<Integer, JsonObject> done = new TreeMap<>();
  private long sequence;
  private int outputs;

  ResponseEvents(ResponseShape shape) {
    this.shape = shape;
  }

  ResponseShape shape() {
    return shape;
  }

  /** Writes an event the proxy made: {@code type} and the sequence number first, then {@code fields}. */
  void write(Buffer out, String type, JsonObject fields) {
    JsonObject event = new JsonObject().put("type", type).put("sequence_number", sequence++);
    fields.forEach(e -> event.put(e.getKey(), e.getValue()));
    frame(out, type, event.encode());
  }

  /** The next sequence number, for a relayed event (which keeps its bytes while its number is this one). */
  long nextSequence() {
    return sequence++;
  }

  static void frame(Buffer out, String type, String data) {
    out.appendString("event: ").appendString(type).appendString("\ndata: ").appendString(data).appendString("\n\n");
  }

  /** A new output item's index. */
  int allocate() {
    return outputs++;
  }

  int allocated() {
    return outputs;
  }

  void done(int outputIndex, JsonObject item) {
    done.put(outputIndex, item);
  }

  /** The completed output items, in output order. */
  JsonArray output() {
    return new JsonArray(new ArrayList<>(done.values()));
  }
}
