package io.kimiproxy.proxy.wire;

import io.vertx.core.json.JsonObject;

/**
 * One {@code chat.completion.chunk} on its way to the client. While nobody changes it, the
 * provider's own bytes are relayed as they came; after a change it is encoded again.
 */
public final class Chunk {
  private final JsonObject json;
  private String raw;

  private Chunk(JsonObject json, String raw) {
    this.json = json;
    this.raw = raw;
  }

  /** A chunk relayed from an OpenAI-format provider, with its original text. */
  public static Chunk relayed(JsonObject json, String raw) {
    return new Chunk(json, raw);
  }

  /** A chunk built by a translating adapter. */
  public static Chunk built(JsonObject json) {
    return new Chunk(json, null);
  }

  /** The JSON, for reading; call {@link #changed()} after changing it. */
  public JsonObject json() {
    return json;
  }

  public void changed() {
    raw = null;
  }

  public String wire() {
    if (raw == null) raw = json.encode();
    return raw;
  }
}
