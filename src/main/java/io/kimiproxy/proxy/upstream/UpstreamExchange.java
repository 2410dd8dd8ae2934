package io.kimiproxy.proxy.upstream;

import io.kimiproxy.config.Timeouts;
import io.kimiproxy.core.error.ProxyError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;

/**
 * One call in flight, from the moment its request is sent. It watches the call's deadlines (the
 * first byte and the silence between chunks, its own; the request's {@link Deadline}, shared with
 * the request's other calls) with a single timer that is moved, not re-created, as data arrives;
 * when one passes it resets the request and remembers which one, so the reader can tell a timeout
 * from a broken connection.
 */
public final class UpstreamExchange {
  /** The most a whole (not streamed) answer or error body may hold; no real answer comes near it. */
  static final int MAX_WHOLE_BODY_BYTES = 64 << 20;
  private final Vertx vertx;
  private final HttpClientRequest request;
  private final Timeouts timeouts;
  private final Deadline deadline;
  private final String provider;
  private final long startNanos = System.nanoTime();
  private HttpClientResponse response;
  private volatile long lastActivityNanos = startNanos;
  private volatile boolean sawBody;
  private volatile String timedOut;
  private volatile boolean finished;
  private long timerId = -1;

  UpstreamExchange(Vertx vertx, HttpClientRequest request, Timeouts timeouts, Deadline deadline, String provider) {
    this.vertx = vertx;
    this.request = request;
    this.timeouts = timeouts;
    this.deadline = deadline;
    this.provider = provider;
    arm(Math.min(timeouts.firstByteMs(), deadline.remainingMs()));
  }

  void responded(HttpClientResponse response) {
    this.response = response;
    touch();
  }

  public String provider() {
    return provider;
  }

  /** The Vert.x instance whose event loop runs this exchange (for timers of its own). */
  public Vertx vertx() {
    return vertx;
  }

  public HttpClientResponse response() {
    return response;
  }

  public int status() {
    return response.statusCode();
  }

  public String header(String name) {
    return response.getHeader(name);
  }

  /** Reads a whole (non-streaming) body; whitespace keep-alives count as activity. */
  public Future<Buffer> body() {
    Promise<Buffer> promise = Promise.promise();
    Buffer body = Buffer.buffer();
    response.handler(part -> {
      touch();
      if (body.length() + part.length() > MAX_WHOLE_BODY_BYTES) {
        // A whole answer is read into memory: a provider that never stops must not fill the heap.
        promise.tryFail(ProxyError.badUpstreamResponse(provider(),
            "the answer is larger than " + (MAX_WHOLE_BODY_BYTES >> 20) + " MB"));
        cancel();
        return;
      }
      body.appendBuffer(part);
    });
    response.endHandler(v -> {
      finish();
      promise.tryComplete(body);
    });
    response.exceptionHandler(e -> {
      finish();
      promise.tryFail(failure(e));
    });
    response.resume();
    return promise.future();
  }

  /** Data arrived: the first-byte deadline is met and the silence clock restarts. */
  public void touch() {
    lastActivityNanos = System.nanoTime();
    if (!sawBody) {
      sawBody = true;
      // The timer was set for the first-byte deadline; from now on it must watch for silence,
      // which may be much shorter (idle 60 s against a first byte of 120 s).
      if (!finished) {
        vertx.cancelTimer(timerId);
        arm(Math.min(timeouts.idleMs(), deadline.remainingMs()));
      }
    }
  }

  /** The answer was read whole (or abandoned): stop watching. */
  public void finish() {
    finished = true;
    if (timerId >= 0) vertx.cancelTimer(timerId);
  }

  /** The client went away: stop the provider's work too. */
  public void cancel() {
    finish();
    request.reset();
  }

  /** The timeout that ended this call, or null. */
  public String timedOut() {
    return timedOut;
  }

  /** How a failure of this call reads to the client: a timeout, or the provider being unreachable. */
  public ProxyError failure(Throwable cause) {
    if (timedOut != null) return ProxyError.upstreamTimeout(provider, timedOut);
    if (cause instanceof ProxyError error) return error;
    String detail = cause == null || cause.getMessage() == null ? "connection closed" : cause.getMessage();
    return ProxyError.upstreamUnreachable(provider, detail);
  }

  private void arm(long delayMs) {
    timerId = vertx.setTimer(Math.max(1, delayMs), id -> check());
  }

  private void check() {
    if (finished) return;
    long now = System.nanoTime();
    long elapsedMs = (now - startNanos) / 1_000_000;
    long silentMs = (now - lastActivityNanos) / 1_000_000;
    long leftMs = deadline.remainingMs();
    String expired = null;
    long next;
    if (leftMs <= 0) {
      expired = deadline.describe();
      next = 0;
    } else if (!sawBody) {
      if (elapsedMs >= timeouts.firstByteMs()) expired = "no first byte within " + timeouts.firstByteMs() / 1000 + " s";
      next = Math.min(timeouts.firstByteMs() - elapsedMs, leftMs);
    } else {
      if (silentMs >= timeouts.idleMs()) expired = "no data for " + timeouts.idleMs() / 1000 + " s";
      next = Math.min(timeouts.idleMs() - silentMs, leftMs);
    }
    if (expired != null) {
      timedOut = expired;
      finished = true;
      request.reset(0, ProxyError.upstreamTimeout(provider, expired));
    } else {
      arm(next);
    }
  }
}
