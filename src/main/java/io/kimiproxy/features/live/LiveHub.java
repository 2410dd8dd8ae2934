package io.kimiproxy.features.live;

import io.kimiproxy.core.events.EventNames;
import io.kimiproxy.core.events.EventSink;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The dashboard's WebSocket hub and the proxy's {@link EventSink}. Publishing hands the event to
 * the hub's own context and returns: encoding and fan-out never run on a request's path, and a
 * slow browser only fills its own bounded queue (see {@link LiveClient}). Each client gets an
 * {@code init} snapshot first, a fresh one whenever it missed events, and a heartbeat: a ping
 * frame, which browsers answer on their own, and a {@code heartbeat} message, by which the page
 * notices a dead server. A client that let two pings in a row go unanswered is closed.
 */
public final class LiveHub implements EventSink {
  static final String HEARTBEAT = "heartbeat";
  static final long HEARTBEAT_MS = 15_000;
  private static final int QUEUE_CAPACITY = 256;
  private static final short GOING_AWAY = 1001;
  private static final Logger LOG = Logger.getLogger(LiveHub.class.getName());

  private final Vertx vertx;
  private final Context context;
  private final LiveSnapshot snapshot;
  private final long heartbeatMs;
  private final Set<LiveClient> clients = new LinkedHashSet<>();
  private final AtomicInteger clientCount = new AtomicInteger();
  private final AtomicLong droppedEvents = new AtomicLong();
  private final List<BiConsumer<String, JsonObject>> observers = new CopyOnWriteArrayList<>();
  private long timerId = -1;
  private boolean closed;
  /** Where this instance's events also go: the team's shared feed (null when solo). */
  private volatile Relay relay;

  /** Hands an event on, on the hub's context (off the request path), as it is broadcast here. */
  @FunctionalInterface
  public interface Relay {
    void send(String type, JsonObject payload, long ts);
  }

  public LiveHub(Vertx vertx, LiveSnapshot snapshot) {
    this(vertx, snapshot, HEARTBEAT_MS);
  }

  LiveHub(Vertx vertx, LiveSnapshot snapshot, long heartbeatMs) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.snapshot = snapshot;
    this.heartbeatMs = heartbeatMs;
    context.runOnContext(v -> {
      if (!closed) timerId = vertx.setPeriodic(heartbeatMs, id -> heartbeat());
    });
  }

  /** Takes ownership of {@code payload}: the caller must not change it afterwards. */
  @Override
  public void publish(String type, JsonObject payload) {
    long ts = System.currentTimeMillis();
    context.runOnContext(v -> {
      broadcast(type, payload, ts, true);
      Relay out = relay;
      if (out != null) out.send(type, payload, ts);
    });
  }

  /**
   * An event of another instance of the team: shown here as if published here, but neither
   * observed (this instance's log is its own) nor relayed again.
   */
  public void deliver(String type, JsonObject payload, long ts) {
    context.runOnContext(v -> broadcast(type, payload, ts, false));
  }

  /** Every event published here from now on is also handed to {@code out}. */
  public void relayTo(Relay out) {
    this.relay = out;
  }

  /**
   * Hands every event published from now on to {@code observer} as well (the log), on the hub's
   * context, before the browsers get it. It must be quick and must not change the payload.
   */
  public void observe(BiConsumer<String, JsonObject> observer) {
    observers.add(observer);
  }

  /** Serves a newly upgraded WebSocket until it closes. */
  public void accept(ServerWebSocket socket) {
    context.runOnContext(v -> {
      if (closed) {
        socket.close(GOING_AWAY, "shutting down");
        return;
      }
      LiveClient client = new LiveClient(socket, context, QUEUE_CAPACITY, this::sendSnapshot);
      socket.closeHandler(x -> context.runOnContext(y -> remove(client)));
      clients.add(client);
      clientCount.set(clients.size());
      sendSnapshot(client);
    });
  }

  /** Connected clients: a gauge, readable from any thread. */
  public int clientCount() {
    return clientCount.get();
  }

  /** Events dropped over all clients that did not keep up: a counter, readable from any thread. */
  public long droppedEvents() {
    return droppedEvents.get();
  }

  /** Stops the heartbeat and closes every client (the proxy is shutting down). */
  public Future<Void> close() {
    return Future.future(done -> context.runOnContext(v -> {
      closed = true;
      if (timerId >= 0) vertx.cancelTimer(timerId);
      for (LiveClient client : List.copyOf(clients)) client.close(GOING_AWAY, "shutting down");
      done.complete();
    }));
  }

  private void broadcast(String type, JsonObject payload, long ts, boolean observed) {
    snapshot.remember(type, payload, ts);
    for (BiConsumer<String, JsonObject> observer : observed ? observers : List.<BiConsumer<String, JsonObject>>of()) {
      try {
        observer.accept(type, payload);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "event observer failed on " + type, e);
      }
    }
    if (clients.isEmpty()) return;
    LiveMessage message = LiveMessage.of(type, payload, ts);
    for (LiveClient client : clients) {
      long before = client.dropped();
      client.offer(message);
      droppedEvents.addAndGet(client.dropped() - before);
    }
  }

  private void sendSnapshot(LiveClient client) {
    client.awaitSnapshot();
    long ts = System.currentTimeMillis();
    snapshot.build().onComplete(result -> context.runOnContext(v -> {
      if (client.closed()) return;
      if (result.failed()) {
        LOG.warning("dashboard snapshot failed: " + result.cause().getMessage());
        client.close((short) 1011, "snapshot failed");
        return;
      }
      JsonObject data = result.result().put("server", new JsonObject()
          .put("heartbeat_ms", heartbeatMs).put("clients", clients.size()).put("dropped", client.dropped()));
      client.snapshot(LiveMessage.of(EventNames.INIT, data, ts).text());
    }));
  }

  private void heartbeat() {
    for (LiveClient client : new ArrayList<>(clients)) {
      if (client.silentMs() > heartbeatMs * 5 / 2) {
        LOG.fine("closing a dashboard client silent for " + client.silentMs() + " ms");
        client.close(GOING_AWAY, "no pong");
        remove(client);
        continue;
      }
      client.ping();
      client.offer(LiveMessage.of(HEARTBEAT, new JsonObject().put("clients", clients.size())
          .put("dropped", client.dropped()).put("coalesced", client.coalesced()).put("queued", client.queued()),
          System.currentTimeMillis()));
    }
  }

  private void remove(LiveClient client) {
    clients.remove(client);
    clientCount.set(clients.size());
  }
}
