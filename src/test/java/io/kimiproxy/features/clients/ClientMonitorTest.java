package io.kimiproxy.features.clients;

import io.kimiproxy.testing.Requests;
import static io.kimiproxy.testing.TestProxy.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.core.events.EventNames;
import io.kimiproxy.core.ledger.ClientTotals;
import io.kimiproxy.core.ledger.RequestRecord;
import io.kimiproxy.core.model.Usage;
import io.kimiproxy.core.util.SecretScrubber;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientMonitorTest {
  private final List<JsonObject> events = new ArrayList<>();
  private final List<String> names = new ArrayList<>();
  private final ClientMonitor monitor = new ClientMonitor(60_000, (type, payload) -> {
    names.add(type);
    events.add(payload);
  }, new SecretScrubber(List.of()));

  private static RequestRecord row(int status, long prompt, long completion, double cost) {
    return new RequestRecord("r", null, 1, "chat", System.currentTimeMillis(), "s", "cline", "m", "p", "u", false,
        status, null, null, null, new Usage(prompt, completion, 0, 0), false, cost, 5, 1L, 0, null, false, 0.0, "chat", null);
  }

  @Test
  void should_count_a_request_in_flight_until_it_ends_then_publish_the_client() {
    ClientMonitor.Visit visit = monitor.arrived("cline", "key-2");
    monitor.working(visit, Requests.chat(new JsonObject().put("model", "m")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Rename the tail class")))));

    ClientSnapshot during = monitor.clients().get(0);
    assertEquals(1, during.inFlight());
    assertTrue(during.active());
    assertTrue(events.isEmpty());

    monitor.left(visit, row(200, 100, 20, 0.5));

    assertEquals(List.of(EventNames.CLIENT_UPDATED), names);
    JsonObject event = events.get(0);
    assertEquals("cline", event.getString("client"));
    assertEquals("key-2", event.getString("key"));
    assertEquals(0, event.getLong("in_flight"));
    assertEquals(1, event.getLong("completed"));
    assertEquals(1.0, event.getDouble("success_rate"));
    assertEquals(100, event.getLong("prompt_tokens"));
    assertEquals("Rename the tail class", event.getString("current_task"));
  }

  @Test
  void should_keep_clients_with_different_keys_apart_and_count_failures() {
    monitor.left(monitor.arrived("other", "key-1"), row(200, 1, 1, 0));
    monitor.left(monitor.arrived("other", "key-1"), row(502, 1, 0, 0));
    monitor.left(monitor.arrived("other", "key-1"), row(429, 1, 0, 0));
    monitor.left(monitor.arrived("other", null), row(200, 1, 1, 0));

    List<ClientSnapshot> clients = monitor.clients();
    ClientSnapshot keyed = clients.stream().filter(c -> "key-1".equals(c.key())).findFirst().orElseThrow();
    assertEquals(2, clients.size());
    assertEquals(1, keyed.completed());
    assertEquals(2, keyed.failed());
    assertEquals(1.0 / 3, keyed.successRate(), 1e-9);
  }

  @Test
  void should_start_from_the_ledger_history_and_add_to_it() {
    long seen = System.currentTimeMillis() - 3_600_000;
    List<Long> asked = new ArrayList<>();
    await(monitor.loadHistory(before -> {
      asked.add(before);
      return Future.succeededFuture(List.of(new ClientTotals("continue", 10, 2, 1000, 200, 1.25, seen)));
    }));

    ClientSnapshot history = monitor.clients().get(0);
    assertFalse(history.active(), "an hour-old last request is idle");
    assertEquals(8, history.completed());
    assertEquals(2, history.failed());
    assertEquals(seen, history.lastSeenMs());
    assertNull(history.key());
    assertTrue(asked.get(0) <= System.currentTimeMillis());

    monitor.left(monitor.arrived("continue", null), row(200, 5, 5, 0.25));

    ClientSnapshot now = monitor.clients().get(0);
    assertEquals(9, now.completed());
    assertEquals(1005, now.promptTokens());
    assertEquals(1.5, now.costUsd(), 1e-12);
    assertTrue(now.active());
  }
}
