package io.kimiproxy.proxy.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * A complete (non-streaming) answer in OpenAI's {@code chat.completion} shape.
 *
 * @param body   the bytes to send a Chat Completions client (and what the cache keeps)
 * @param usage  the OpenAI usage object, or null when the provider reported none
 * @param json   the parsed answer (for features that inspect it)
 * @param origin the provider's own body, for a client that speaks the provider's API; null when the
 *               provider's format is not the client's, or once a step changed the answer
 */
public record NonStreamReply(Buffer body, JsonObject usage, JsonObject json, Buffer origin) {

  /** An answer with no provider body to hand on as it came. */
  public NonStreamReply(Buffer body, JsonObject usage, JsonObject json) {
    this(body, usage, json, null);
  }
}
