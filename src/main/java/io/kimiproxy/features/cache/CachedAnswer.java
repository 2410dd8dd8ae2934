package io.kimiproxy.features.cache;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * An answer worth replaying: the JSON body of a whole answer, or the chunks of a streamed one
 * (usage apart, so a replay sends it only to a client that asks), with what it cost.
 */
public record CachedAnswer(boolean stream, String body, List<String> chunks, JsonObject usage, String model,
                           String provider, long promptTokens, long completionTokens, double costUsd) {

  public Buffer toBuffer() {
    JsonObject json = new JsonObject().put("stream", stream).put("body", body)
        .put("chunks", new JsonArray(new ArrayList<>(chunks))).put("usage", usage).put("model", model)
        .put("provider", provider).put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
        .put("cost_usd", costUsd);
    return json.toBuffer();
  }

  public static CachedAnswer fromBuffer(Buffer buffer) {
    JsonObject json = new JsonObject(buffer);
    List<String> chunks = new ArrayList<>();
    json.getJsonArray("chunks", new JsonArray()).forEach(c -> chunks.add((String) c));
    return new CachedAnswer(json.getBoolean("stream", false), json.getString("body"), chunks,
        json.getJsonObject("usage"), json.getString("model"), json.getString("provider"),
        json.getLong("prompt_tokens", 0L), json.getLong("completion_tokens", 0L), json.getDouble("cost_usd", 0.0));
  }

  /** The start of the answer's text, for the cache browser. */
  public String preview(int length) {
    StringBuilder text = new StringBuilder();
    if (stream) {
      for (String chunk : chunks) {
        if (text.length() >= length) break;
        appendContent(text, new JsonObject(chunk), "delta");
      }
    } else if (body != null) {
      appendContent(text, new JsonObject(body), "message");
    }
    return text.length() <= length ? text.toString() : text.substring(0, length);
  }

  private static void appendContent(StringBuilder text, JsonObject json, String field) {
    if (!(json.getValue("choices") instanceof JsonArray choices)) return;
    for (Object c : choices) {
      if (c instanceof JsonObject choice && choice.getValue(field) instanceof JsonObject m
          && m.getValue("content") instanceof String s) {
        text.append(s);
      }
    }
  }

  public long sizeEstimate() {
    long size = body == null ? 0 : body.length();
    for (String c : chunks) size += c.length();
    return size * 2 + 256;
  }
}
