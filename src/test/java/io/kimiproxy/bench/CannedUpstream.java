package io.kimiproxy.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A provider that answers at once with real recorded bytes (tests-data/fixtures/openai): the
 * chat.completion of a non-streaming call, or a 14-event stream ending in a usage chunk. It
 * reads the whole request body first, as a real server must, so the 8 KB upload is paid on both
 * paths. Each stream event is its own HTTP chunk, as providers send them.
 */
final class CannedUpstream {
  static final String COMPLETION = "openai/chat-nonstream-gpt5-reasoning-tokens.json";
  static final String STREAM = "openai/chat-stream-text-include-usage.sse";

  private final Buffer completion;
  private final List<Buffer> events;
  private HttpServer server;

  private CannedUpstream(Buffer completion, List<Buffer> events) {
    this.completion = completion;
    this.events = events;
  }

  static CannedUpstream fromFixtures(Path fixtures) throws IOException {
    Buffer completion = Buffer.buffer(Files.readAllBytes(fixtures.resolve(COMPLETION)));
    String stream = Files.readString(fixtures.resolve(STREAM));
    List<Buffer> events = new ArrayList<>();
    for (String event : stream.split("(?<=\n\n)")) {
      if (!event.isBlank()) events.add(Buffer.buffer(event));
    }
    return new CannedUpstream(completion, events);
  }

  /** Listens on a free loopback port on one event loop of {@code vertx}. */
  Future<Integer> start(Vertx vertx) {
    return vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true).setIdleTimeout(0))
        .requestHandler(this::answer)
        .listen(0, "127.0.0.1")
        .map(s -> {
          server = s;
          return s.actualPort();
        });
  }

  Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void answer(HttpServerRequest request) {
    // The proxy asks for a stream with Accept: text/event-stream; the direct driver does the same.
    boolean stream = String.valueOf(request.getHeader("Accept")).contains("text/event-stream");
    request.body().onSuccess(body -> {
      if (!stream) {
        request.response().putHeader("Content-Type", "application/json").end(completion);
        return;
      }
      var response = request.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
      for (Buffer event : events) response.write(event);
      response.end();
    });
  }
}
