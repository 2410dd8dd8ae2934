package io.kimiproxy.proxy.stream;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The server-sent-event framing of an OpenAI stream, for everything that answers one (relays and replays). */
public final class SseFrames {
  public static final String DONE = "data: [DONE]\n\n";

  private SseFrames() {}

  /** The head of a stream: proxies and browsers must not buffer it. */
  public static void head(HttpServerResponse response) {
    response.setStatusCode(200).setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no");
  }

  public static Buffer event(String json) {
    return Buffer.buffer("data: " + json + "\n\n");
  }

  /** The one usage chunk a client that asked for usage gets at the end, shaped after the stream's last chunk. */
  public static JsonObject usageChunk(JsonObject lastChunk, JsonObject usage) {
    JsonObject last = lastChunk == null ? new JsonObject() : lastChunk;
    JsonObject chunk = new JsonObject()
        .put("id", last.getValue("id"))
        .put("object", "chat.completion.chunk")
        .put("created", last.getValue("created", System.currentTimeMillis() / 1000))
        .put("model", last.getValue("model"));
    if (last.containsKey("system_fingerprint")) chunk.put("system_fingerprint", last.getValue("system_fingerprint"));
    return chunk.put("choices", new JsonArray()).put("usage", usage);
  }
}
