package io.kimiproxy.features.clients;

import io.kimiproxy.core.events.EventNames;
import io.kimiproxy.core.events.EventSink;
import io.kimiproxy.core.ledger.ClientHistory;
import io.kimiproxy.core.ledger.RequestRecord;
import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.core.util.BoundedCache;
import io.kimiproxy.core.util.ContentKey;
import io.kimiproxy.core.util.SecretScrubber;
import io.vertx.core.Future;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is using the proxy: per client (its kind, and its client key when server.api_keys is set),
 * requests in flight, completed and failed, tokens, cost, when it was last seen and what it is
 * working on. In memory; the ledger's totals per kind, read at start, carry the history across
 * restarts. The chat pipeline reports each request's arrival, its task and its end.
 */
public final class ClientMonitor {
  private final long idleAfterMs;
  private final EventSink events;
  private final SecretScrubber scrubber;
  private final long startedAtMs = System.currentTimeMillis();
  private final Map<String, ClientState> clients = new ConcurrentHashMap<>();
  private final BoundedCache<ContentKey, String> previews = new BoundedCache<>(1 << 20, p -> 2L * p.length());

  /** One request of one client, from its arrival to its end. */
  public static final class Visit {
    private final ClientState client;

    private Visit(ClientState client) {
      this.client = client;
    }
  }

  public ClientMonitor(long idleAfterMs, EventSink events, SecretScrubber scrubber) {
    this.idleAfterMs = idleAfterMs;
    this.events = events;
    this.scrubber = scrubber;
  }

  /**
   * Adds the ledger's totals of the requests that started before this monitor: those it cannot
   * have seen, so nothing is counted twice. The ledger has no client key, so history goes to
   * the kind without a key.
   */
  public Future<Void> loadHistory(ClientHistory history) {
    return history.clientTotals(startedAtMs).map(totals -> {
      totals.forEach(t -> state(t.client(), null).history(t));
      return null;
    });
  }

  public Visit arrived(String client, String key) {
    ClientState state = state(client, key);
    state.arrived(System.currentTimeMillis());
    return new Visit(state);
  }

  /**
   * The request has been read: its latest user message becomes the client's current task. An
   * agent resends the same task turn after turn, so each distinct one is redacted once.
   */
  public void working(Visit visit, ChatRequest request) {
    String head = TaskPreview.head(request);
    if (head != null) visit.client.task(previews.get(ContentKey.of(head), k -> TaskPreview.preview(head, scrubber)));
  }

  /** The request ended, as its ledger row tells. */
  public void left(Visit visit, RequestRecord row) {
    long now = System.currentTimeMillis();
    visit.client.left(row, now);
    events.publish(EventNames.CLIENT_UPDATED, visit.client.snapshot(now, idleAfterMs).toJson());
  }

  /** Every client, the most recently seen first. */
  public List<ClientSnapshot> clients() {
    long now = System.currentTimeMillis();
    return clients.values().stream().map(c -> c.snapshot(now, idleAfterMs))
        .sorted(Comparator.comparing((ClientSnapshot c) -> c.lastSeenMs() == null ? 0L : c.lastSeenMs()).reversed()
            .thenComparing(ClientSnapshot::client).thenComparing(c -> c.key() == null ? "" : c.key()))
        .toList();
  }

  private ClientState state(String client, String key) {
    return clients.computeIfAbsent(client + "\u0000" + (key == null ? "" : key), k -> new ClientState(client, key));
  }
}
