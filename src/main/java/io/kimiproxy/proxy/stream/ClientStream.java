package io.kimiproxy.proxy.stream;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.proxy.wire.Chunk;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * Writes one streamed answer in a client API's event format. The relay hands it the neutral stream
 * (OpenAI chunks, usage apart) and writes the bytes it returns; one instance per answer, so it may
 * keep state (open blocks, sequence numbers).
 */
public interface ClientStream {
  /** Status and headers, written with the first bytes (until then the request may still be retried). */
  default void head(HttpServerResponse response) {
    SseFrames.head(response);
  }

  /**
   * The prompt's usage as the proxy estimated it, told before the first chunk: for APIs that state
   * the input in the stream's first event (Anthropic's message_start). OpenAI's shape.
   */
  default void promptEstimate(JsonObject usage) {}

  /** The bytes for one chunk of the answer (empty when the format has nothing to say yet). */
  Buffer chunk(Chunk chunk);

  /**
   * The close of a stream that ended well.
   *
   * @param lastChunk the last chunk relayed (for ids and model), or null
   * @param usage     the answer's usage in OpenAI's shape: the provider's, or the proxy's estimate
   */
  Buffer end(JsonObject lastChunk, JsonObject usage);

  /** The close of a stream that broke after it began. */
  Buffer error(ProxyError error);

  /**
   * An event that only says the answer is still coming, sent after a silence once the stream has
   * begun (Anthropic's {@code ping}); null when the API has none.
   */
  default Buffer keepAlive() {
    return null;
  }
}
