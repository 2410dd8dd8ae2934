package io.kimiproxy.proxy.wire;

import io.vertx.core.json.JsonObject;

/**
 * One {@code chat.completion.chunk} on its way to the client. While nobody changes it, the
 * provider's own bytes are relayed as they came; after a change it is encoded again.
 *
 * <p>A chunk decoded from a provider that speaks the client's own API (Anthropic Messages to
 * Anthropic) also carries the provider's event it came from ({@link #origin()}): the client gets
 * that event, and a chunk's {@link #edited()} flag tells its writer that a step changed what the
 * event says.
 */
public final class Chunk {
  private final JsonObject json;
  private final NativeEvent origin;
  private String raw;
  private boolean edited;

  private Chunk(JsonObject json, String raw, NativeEvent origin) {
    this.json = json;
    this.raw = raw;
    this.origin = origin;
  }

  /** A chunk relayed from an OpenAI-format provider, with its original text. */
  public static Chunk relayed(JsonObject json, String raw) {
    return new Chunk(json, raw, null);
  }

  /** A chunk built by a translating adapter. */
  public static Chunk built(JsonObject json) {
    return new Chunk(json, null, null);
  }

  /** A chunk decoded from one provider event, for a client that is sent that event itself. */
  public static Chunk decoded(JsonObject json, NativeEvent origin) {
    return new Chunk(json, null, origin);
  }

  /** The JSON, for reading; call {@link #changed()} after changing it. */
  public JsonObject json() {
    return json;
  }

  public void changed() {
    raw = null;
    edited = true;
  }

  /** Whether a step changed the chunk after its decoder made it. */
  public boolean edited() {
    return edited;
  }

  /** The provider event this chunk was decoded from, when the client speaks the provider's API; else null. */
  public NativeEvent origin() {
    return origin;
  }

  public String wire() {
    if (raw == null) raw = json.encode();
    return raw;
  }
}
