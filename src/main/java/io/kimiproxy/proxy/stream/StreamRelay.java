package io.kimiproxy.proxy.stream;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.util.SecretScrubber;
import io.kimiproxy.proxy.sse.SseEvent;
import io.kimiproxy.proxy.sse.SseParser;
import io.kimiproxy.proxy.upstream.UpstreamExchange;
import io.kimiproxy.proxy.wire.Chunk;
import io.kimiproxy.proxy.wire.ChunkSink;
import io.kimiproxy.proxy.wire.StreamDecoder;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * Moves one streamed answer from a provider to the client, event by event as it arrives.
 *
 * <ul>
 *   <li>Backpressure: while the client's socket is full the provider's stream is paused.</li>
 *   <li>A client that goes away cancels the provider's request.</li>
 *   <li>Usage: the proxy always asks for it and keeps the last it sees, whatever the provider's
 *       habit (on every chunk, on the finish chunk, in a chunk of its own, or never: then the
 *       proxy's own estimate); usage-only chunks are held back, and the client's
 *       {@link ClientStream} says the usage at the end in its API's way.</li>
 *   <li>The client's response head waits for the first chunk: until then nothing has reached the
 *       client, so a stream that fails early (reset, malformed or empty body, error event, silence)
 *       ends the relay with the error and the response untouched, and the caller may try again.</li>
 *   <li>A failure after the stream began ends it with an SSE error event and {@code [DONE]}.</li>
 * </ul>
 */
public final class StreamRelay implements ChunkSink {
  private static final int MAX_TEXT = 1 << 20;
  /** After this long without a byte to the client, a stream that has begun gets its API's keep-alive. */
  static final long KEEP_ALIVE_MS = 10_000;
  /** How often the silence is looked at: a keep-alive goes out at most this late. */
  private static final long KEEP_ALIVE_CHECK_MS = 1_000;

  private final HttpServerResponse client;
  private final UpstreamExchange exchange;
  private final StreamDecoder decoder;
  private final ClientStream stream;
  private final Function<String, JsonObject> estimatedUsage;
  private final long requestStartNanos;
  private final SecretScrubber scrubber;
  private final Promise<RelayOutcome> outcome = Promise.promise();
  private final StringBuilder text = new StringBuilder();
  private final SseParser parser = new SseParser(this::onEvent);
  private JsonObject usage;
  private JsonObject lastChunk;
  private Long ttfbMs;
  private boolean ended;
  private long lastWriteNanos;
  private long keepAliveTimer = -1;

  private StreamRelay(HttpServerResponse client, UpstreamExchange exchange, StreamDecoder decoder,
                      ClientStream stream, Function<String, JsonObject> estimatedUsage, long requestStartNanos,
                      SecretScrubber scrubber) {
    this.client = client;
    this.exchange = exchange;
    this.decoder = decoder;
    this.stream = stream;
    this.estimatedUsage = estimatedUsage;
    this.requestStartNanos = requestStartNanos;
    this.scrubber = scrubber;
  }

  /**
   * Starts relaying; the future completes when the stream has ended, however it ended.
   *
   * @param estimatedUsage the usage to report, from what the model wrote, when the provider reports none
   */
  public static Future<RelayOutcome> relay(HttpServerResponse client, UpstreamExchange exchange, StreamDecoder decoder,
                                           ClientStream stream, Function<String, JsonObject> estimatedUsage,
                                           long requestStartNanos, SecretScrubber scrubber) {
    StreamRelay relay = new StreamRelay(client, exchange, decoder, stream, estimatedUsage, requestStartNanos, scrubber);
    relay.start();
    return relay.outcome.future();
  }

  private void start() {
    stream.promptEstimate(estimatedUsage.apply(""));
    client.closeHandler(v -> {
      if (!ended) {
        ended = true;
        exchange.cancel();
        complete(null, true);
      }
    });
    HttpClientResponse upstream = exchange.response();
    upstream.handler(data -> {
      exchange.touch();
      parser.feed(data);
      if (!ended && client.writeQueueFull()) {
        upstream.pause();
        client.drainHandler(v -> upstream.resume());
      }
    });
    upstream.exceptionHandler(e -> fail(exchange.failure(e)));
    upstream.endHandler(v -> {
      exchange.finish();
      parser.end();
      if (!ended) decoder.onEnd(this);
      if (!ended) done();
    });
    upstream.resume();
  }

  private void onEvent(SseEvent event) {
    if (!ended) decoder.onEvent(event, this);
  }

  @Override
  public void chunk(Chunk chunk) {
    if (ended) return;
    JsonObject json = chunk.json();
    Object reported = json.getValue("usage");
    if (reported instanceof JsonObject u) {
      usage = u;
    }
    boolean onlyUsage = json.getValue("choices") instanceof JsonArray choices && choices.isEmpty() && reported != null;
    if (onlyUsage || json.getValue("choices") == null && reported != null) {
      return; // the usage is said once at the end, in the client's API's way
    }
    lastChunk = json;
    collectText(json);
    write(stream.chunk(chunk));
  }

  @Override
  public void done() {
    if (ended) return;
    if (lastChunk == null) {
      fail(ProxyError.badUpstreamResponse(exchange.provider(), "the stream ended without an answer"));
      return;
    }
    Buffer close = stream.end(lastChunk, usage != null ? usage : estimatedUsage.apply(text.toString()));
    ended = true;
    exchange.finish();
    client.end(close);
    complete(null, false);
  }

  @Override
  public void error(ProxyError error) {
    fail(error);
  }

  private void fail(ProxyError failure) {
    if (ended) return;
    ended = true;
    exchange.cancel();
    // A provider may echo its key in an in-stream error; this event is the last hop before the client.
    ProxyError error = failure.withMessage(scrubber.scrub(failure.getMessage()));
    if (ttfbMs != null) client.end(stream.error(error));
    complete(error, false);
  }

  private void write(Buffer bytes) {
    if (bytes.length() == 0) return;
    if (ttfbMs == null) {
      ttfbMs = (System.nanoTime() - requestStartNanos) / 1_000_000;
      stream.head(client);
      keepAlive();
    }
    client.write(bytes);
    lastWriteNanos = System.nanoTime();
  }

  /**
   * Keeps a quiet stream alive, only once its head is out: a byte sent earlier would commit the
   * response, and the request could no longer be retried or refused with its real status.
   */
  private void keepAlive() {
    if (stream.keepAlive() == null) return;
    keepAliveTimer = exchange.vertx().setPeriodic(KEEP_ALIVE_CHECK_MS, id -> {
      boolean quiet = System.nanoTime() - lastWriteNanos >= KEEP_ALIVE_MS * 1_000_000;
      if (!ended && quiet && !client.writeQueueFull()) write(stream.keepAlive());
    });
  }

  /** Keeps what the model wrote, to estimate completion tokens if the provider reports none. */
  private void collectText(JsonObject json) {
    if (text.length() > MAX_TEXT || !(json.getValue("choices") instanceof JsonArray choices)) return;
    for (Object c : choices) {
      if (!(c instanceof JsonObject choice) || !(choice.getValue("delta") instanceof JsonObject delta)) continue;
      append(delta.getValue("content"));
      // Adapters copy "reasoning" into "reasoning_content": count the text once.
      append(delta.getValue("reasoning_content") != null ? delta.getValue("reasoning_content") : delta.getValue("reasoning"));
      if (delta.getValue("tool_calls") instanceof JsonArray calls) {
        for (Object call : calls) {
          if (call instanceof JsonObject tc && tc.getValue("function") instanceof JsonObject fn) {
            append(fn.getValue("name"));
            append(fn.getValue("arguments"));
          }
        }
      }
    }
  }

  private void append(Object value) {
    if (value instanceof String s) text.append(s);
  }

  private void complete(ProxyError error, boolean clientClosed) {
    if (keepAliveTimer >= 0) exchange.vertx().cancelTimer(keepAliveTimer);
    outcome.tryComplete(new RelayOutcome(usage, text.toString(), ttfbMs, error, clientClosed));
  }
}
