package io.kimiproxy.core.model;

import io.vertx.core.json.JsonObject;

/** One part of a message's content. */
public sealed interface Part {

  /**
   * Text; {@code cacheControl} is a prompt-cache breakpoint set by the client (Anthropic's
   * {@code cache_control}, which Cline also sets on OpenAI-format parts), or null.
   */
  record Text(String text, JsonObject cacheControl) implements Part {
    public Text(String text) {
      this(text, null);
    }

    public Text withText(String other) {
      return new Text(other, cacheControl);
    }
  }

  /** An image by URL: {@code https://…} or a base64 {@code data:} URL; {@code detail} as OpenAI's, or null. */
  record Image(String url, String detail, JsonObject cacheControl) implements Part {}

  /**
   * A part the proxy does not model (audio, files, …), kept as its OpenAI JSON: passed to providers
   * that speak OpenAI's format, refused by translating ones that cannot carry it.
   */
  record Other(String type, JsonObject json) implements Part {}
}
