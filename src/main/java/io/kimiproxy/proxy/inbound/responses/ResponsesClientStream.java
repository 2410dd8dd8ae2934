package io.kimiproxy.proxy.inbound.responses;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.proxy.stream.ClientStream;
import io.kimiproxy.proxy.wire.Chunk;
import io.kimiproxy.proxy.wire.responses.ResponsesUsage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A Responses stream to the client: {@code response.created}, {@code response.in_progress}, each
 * output item's events, then {@code response.completed} with the usage ({@code response.incomplete}
 * when the answer was cut at its token limit or filtered), every event numbered from 0; a failure
 * after the start is {@code response.failed} with the error's code and message. There is no
 * {@code [DONE]}: the stream ends after the final event.
 *
 * <p>From a provider that serves Responses the client gets the provider's own events
 * ({@link NativeRelay}); from any other, the neutral chunks translated ({@link TranslatedOutput}).
 * Text of the proxy's own in a relayed stream (a guardrail's notice) is written as a message item
 * between the provider's items.
 */
final class ResponsesClientStream implements ClientStream {
  private final ResponseEvents events;
  private final TranslatedOutput translated;
  private final NativeRelay natives;
  private boolean started;
  private boolean ended;

  ResponsesClientStream(ResponseShape shape) {
    this.events = new ResponseEvents(shape);
    this.translated = new TranslatedOutput(events);
    this.natives = new NativeRelay(events);
  }

  @Override
  public Buffer chunk(Chunk chunk) {
    Buffer out = Buffer.buffer();
    if (chunk.origin() != null) {
      natives.accept(chunk, out, translated::finishItems);
      return out;
    }
    if (natives.active()) {
      if (hasChoices(chunk.json())) natives.settle(out, translated::finishItems);
    } else {
      start(out);
    }
    translated.accept(chunk.json(), out);
    return out;
  }

  @Override
  public Buffer end(JsonObject lastChunk, JsonObject usage) {
    Buffer out = Buffer.buffer();
    if (natives.active()) natives.settle(out, translated::finishItems);
    if (natives.terminal()) return out;
    start(out);
    translated.finishItems(out);
    String finish = translated.finish();
    String incomplete = "length".equals(finish) ? "max_output_tokens" : "content_filter".equals(finish) ? finish : null;
    JsonObject response = events.shape().response(incomplete == null ? "completed" : "incomplete", events.output(),
        usage == null ? null : ResponsesUsage.of(usage), null, incomplete);
    events.write(out, incomplete == null ? "response.completed" : "response.incomplete",
        new JsonObject().put("response", response));
    ended = true;
    return out;
  }

  @Override
  public Buffer error(ProxyError error) {
    natives.abandon();
    Buffer out = Buffer.buffer();
    if (natives.terminal() || ended) return out;
    JsonObject failure = new JsonObject().put("code", error.code() != null ? error.code() : error.type())
        .put("message", error.getMessage());
    events.write(out, "response.failed", new JsonObject().put("response",
        events.shape().response("failed", events.output(), null, failure, null)));
    ended = true;
    return out;
  }

  /** The stream's opening events, once, before anything the proxy writes itself. */
  private void start(Buffer out) {
    if (started || natives.active()) return;
    started = true;
    JsonObject response = events.shape().response("in_progress", new JsonArray(), null, null, null);
    events.write(out, "response.created", new JsonObject().put("response", response));
    events.write(out, "response.in_progress", new JsonObject().put("response", response));
  }

  private static boolean hasChoices(JsonObject chunk) {
    return chunk.getValue("choices") instanceof JsonArray choices && !choices.isEmpty();
  }
}
