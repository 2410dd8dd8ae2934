package io.kimiproxy.features.live;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * One dashboard connection. Events go straight to the socket while it keeps up; once its write
 * buffer is full they wait in a bounded {@link ClientQueue} until it drains. Until the client has
 * its {@code init} snapshot, events wait too, so nothing arrives before the state it updates.
 * Every field is touched only on the hub's context; socket callbacks hop there first.
 */
final class LiveClient {
  private static final Buffer PING = Buffer.buffer("kimi-proxy");
  private static final Logger LOG = Logger.getLogger(LiveClient.class.getName());

  private final ServerWebSocket socket;
  private final ClientQueue queue;
  private final Consumer<LiveClient> missedEvents;
  private boolean ready;
  private boolean waitingForDrain;
  private long lastSeenNanos = System.nanoTime();
  private long droppedAtSnapshot;

  /** @param missedEvents called when events were dropped and the queue has drained: time for a fresh snapshot */
  LiveClient(ServerWebSocket socket, Context hub, int capacity, Consumer<LiveClient> missedEvents) {
    this.socket = socket;
    this.queue = new ClientQueue(capacity);
    this.missedEvents = missedEvents;
    socket.drainHandler(v -> hub.runOnContext(x -> {
      waitingForDrain = false;
      flush();
    }));
    socket.pongHandler(data -> hub.runOnContext(x -> seen()));
    socket.textMessageHandler(text -> hub.runOnContext(x -> seen()));
    // A browser tab that vanishes resets its connection: routine, not worth a stack trace.
    socket.exceptionHandler(e -> LOG.fine("dashboard socket failed: " + e.getMessage()));
  }

  void offer(LiveMessage message) {
    queue.offer(message);
    flush();
  }

  /** Holds events back while a snapshot is being built (on connect, or after missed events). */
  void awaitSnapshot() {
    ready = false;
    droppedAtSnapshot = queue.dropped();
  }

  /** Sends the snapshot ahead of everything queued since {@link #awaitSnapshot()}. */
  void snapshot(String initText) {
    if (socket.isClosed()) return;
    socket.writeTextMessage(initText);
    ready = true;
    flush();
  }

  private void flush() {
    if (!ready || waitingForDrain) return;
    while (!socket.isClosed()) {
      if (socket.writeQueueFull()) {
        waitingForDrain = true; // the drain handler resumes
        return;
      }
      LiveMessage next = queue.poll();
      if (next == null) break;
      socket.writeTextMessage(next.text());
    }
    if (queue.dropped() > droppedAtSnapshot) missedEvents.accept(this);
  }

  void ping() {
    socket.writePing(PING);
  }

  private void seen() {
    lastSeenNanos = System.nanoTime();
  }

  long silentMs() {
    return (System.nanoTime() - lastSeenNanos) / 1_000_000;
  }

  void close(short code, String reason) {
    socket.close(code, reason);
  }

  boolean closed() {
    return socket.isClosed();
  }

  long dropped() {
    return queue.dropped();
  }

  long coalesced() {
    return queue.coalesced();
  }

  int queued() {
    return queue.size();
  }
}
