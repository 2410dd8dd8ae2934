package io.kimiproxy.bench;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends chat requests to 127.0.0.1 and times them. Every request and every callback runs on one
 * event loop of the bench's Vert.x, so the run state needs no locks; the open-loop schedule is
 * kept by the calling thread, which parks until each send time and hands the send to that loop.
 */
final class LoadDriver implements AutoCloseable {
  /** How long any request may take before it counts as an error: the bench must always end. */
  private static final long REQUEST_TIMEOUT_MS = 10_000;
  private static final long DRAIN_MS = 15_000;

  /** What a request's time is measured to: its whole answer, or the first SSE event of a stream. */
  enum Probe { WHOLE, FIRST_EVENT }

  record Target(int port) {}

  /** A closed-loop run: how many answers in how long, and their latencies. */
  record Throughput(Samples samples, double seconds) {
    double perSecond() {
      return samples.count() / seconds;
    }
  }

  private final Context context;
  private final HttpClientAgent client;
  private long seq; // on the context only

  LoadDriver(Vertx vertx, int connections) {
    this.context = vertx.getOrCreateContext();
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
        new PoolOptions().setHttp1MaxSize(connections));
  }

  /**
   * Open loop: {@code rate} requests a second for {@code duration}, each sent at its scheduled
   * time whatever the earlier ones are doing. Latency runs from the scheduled time, not the actual
   * send, so a stall in the proxy (or the driver) shows in every request it delayed.
   */
  Samples openLoop(Target target, ChatBodies bodies, Probe probe, int rate, Duration duration) throws Exception {
    int total = (int) (rate * duration.toMillis() / 1000);
    long interval = 1_000_000_000L / rate;
    Run run = new Run(total);
    long start = System.nanoTime() + 1_000_000;
    for (int i = 0; i < total; i++) {
      long due = start + i * interval;
      for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
        LockSupport.parkNanos(wait);
      }
      context.runOnContext(v -> send(target, bodies, probe, due, run::done));
    }
    return run.await();
  }

  /** Closed loop: {@code concurrency} requests in flight at all times, for {@code duration}. */
  Throughput closedLoop(Target target, ChatBodies bodies, Probe probe, int concurrency, Duration duration) throws Exception {
    Run run = new Run(-1);
    long start = System.nanoTime();
    long deadline = start + duration.toNanos();
    int[] active = {concurrency};
    Handler<Void> worker = new Handler<>() {
      @Override
      public void handle(Void ignored) {
        if (System.nanoTime() >= deadline) {
          if (--active[0] == 0) run.close();
          return;
        }
        Handler<Void> again = this;
        send(target, bodies, probe, System.nanoTime(), latency -> {
          run.done(latency);
          again.handle(null);
        });
      }
    };
    for (int i = 0; i < concurrency; i++) context.runOnContext(worker);
    Samples samples = run.await();
    return new Throughput(samples, (System.nanoTime() - start) / 1e9);
  }

  @Override
  public void close() throws Exception {
    client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Sends one request; {@code result} gets its latency from {@code fromNanos}, or -1 if it failed. */
  private void send(Target target, ChatBodies bodies, Probe probe, long fromNanos, Handler<Long> result) {
    boolean stream = probe == Probe.FIRST_EVENT;
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
        .setHost("127.0.0.1").setPort(target.port()).setURI("/v1/chat/completions")
        .putHeader("Content-Type", "application/json")
        .putHeader("Accept", stream ? "text/event-stream" : "application/json")
        .putHeader("User-Agent", "kimi-proxy-bench")
        .setIdleTimeout(REQUEST_TIMEOUT_MS);
    client.request(options)
        .compose(request -> request.send(bodies.body(seq++)))
        .onFailure(e -> result.handle(-1L))
        .onSuccess(response -> {
          if (response.statusCode() != 200) {
            response.body().onComplete(ignored -> result.handle(-1L));
          } else if (stream) {
            firstEvent(response, fromNanos, result);
          } else {
            response.body().onComplete(body -> result.handle(body.succeeded()
                && body.result().toString().contains("\"chat.completion\"") ? System.nanoTime() - fromNanos : -1L));
          }
        });
  }

  /** Times the first SSE event; the rest of the stream is read so the connection can be reused. */
  private static void firstEvent(HttpClientResponse response, long fromNanos, Handler<Long> result) {
    long[] first = {-1}; // -1: nothing yet; 0: the stream did not start with an event
    boolean[] reported = {false};
    Handler<Long> once = latency -> {
      if (!reported[0]) {
        reported[0] = true;
        result.handle(latency);
      }
    };
    response.handler(data -> {
      if (first[0] < 0 && data.length() > 0) {
        long now = System.nanoTime();
        first[0] = data.getString(0, Math.min(5, data.length())).equals("data:") ? now - fromNanos : 0;
      }
    });
    response.exceptionHandler(e -> once.handle(-1L));
    response.endHandler(v -> once.handle(first[0] > 0 ? first[0] : -1L));
  }

  /** The state of one run, touched only on the driver's context. */
  private final class Run {
    private final Samples samples;
    private final int expected;
    private final CompletableFuture<Samples> finished = new CompletableFuture<>();
    private int answered;
    private boolean closed;

    /** @param expected how many requests will be sent, or -1 when the run is ended by {@link #close()} */
    Run(int expected) {
      this.expected = expected;
      this.samples = new Samples(Math.max(expected, 1024));
    }

    void done(long latencyNanos) {
      if (closed) return;
      if (latencyNanos >= 0) samples.record(latencyNanos); else samples.error();
      if (++answered == expected) close();
    }

    void close() {
      if (closed) return;
      closed = true;
      for (int i = answered; i < expected; i++) samples.error(); // never answered
      finished.complete(samples);
    }

    Samples await() throws Exception {
      try {
        return finished.get(DRAIN_MS + REQUEST_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        context.runOnContext(v -> close());
        return finished.get(5, TimeUnit.SECONDS);
      }
    }
  }
}
