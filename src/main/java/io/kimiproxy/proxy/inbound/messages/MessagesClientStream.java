package io.kimiproxy.proxy.inbound.messages;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.proxy.stream.ClientStream;
import io.kimiproxy.proxy.wire.Chunk;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An Anthropic Messages stream to the client: exactly Anthropic's event sequence, one block at a
 * time, indexes in order, usage in message_start (the proxy's estimate, or the provider's) and final
 * in message_delta. From an Anthropic-format provider it is the provider's own events
 * ({@link NativeOrder}); from any other, the neutral chunks translated ({@link StreamTranslator}); the
 * proxy's own text in a relayed stream (a guardrail's notice) is translated into a block between the
 * provider's.
 *
 * <p>No ping is sent before the provider answers: the response head would go with it, and a request
 * whose head is out can no longer be retried or moved to a fallback, nor fail with its real status.
 * A translated stream sends one right after message_start, as Anthropic does; a relayed one carries
 * the provider's; and once the stream has begun, a silence of the provider's gets pings from the
 * relay ({@link #keepAlive()}).
 */
final class MessagesClientStream implements ClientStream {
  private final StreamBlocks blocks;
  private final StreamTranslator translator;
  private final NativeOrder natives;

  MessagesClientStream(String model) {
    this.blocks = new StreamBlocks(model);
    this.translator = new StreamTranslator(blocks);
    this.natives = new NativeOrder(blocks);
  }

  @Override
  public void promptEstimate(JsonObject usage) {
    blocks.estimate = usage;
  }

  @Override
  public Buffer chunk(Chunk chunk) {
    Buffer out = Buffer.buffer();
    if (chunk.origin() != null) {
      natives.accept(chunk, out);
    } else {
      if (natives.active() && hasChoices(chunk.json())) natives.settle(out);
      translator.accept(chunk.json(), out);
    }
    return out;
  }

  @Override
  public Buffer end(JsonObject lastChunk, JsonObject usage) {
    Buffer out = Buffer.buffer();
    if (natives.active()) natives.settle(out);
    translator.finish(lastChunk, usage, out);
    return out;
  }

  /** Anthropic's own keep-alive, which clients ignore; it may come between any two events. */
  @Override
  public Buffer keepAlive() {
    Buffer out = Buffer.buffer();
    StreamBlocks.event(out, "ping", new JsonObject().put("type", "ping"));
    return out;
  }

  @Override
  public Buffer error(ProxyError error) {
    natives.abandon();
    Buffer out = Buffer.buffer();
    StreamBlocks.event(out, "error", MessagesErrors.body(error));
    return out;
  }

  private static boolean hasChoices(JsonObject chunk) {
    return chunk.getValue("choices") instanceof JsonArray choices && !choices.isEmpty();
  }
}
