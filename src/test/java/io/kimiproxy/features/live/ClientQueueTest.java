package io.kimiproxy.features.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientQueueTest {

  private static LiveMessage event(String type, JsonObject data) {
    return LiveMessage.of(type, data, 1);
  }

  private static List<String> drain(ClientQueue queue) {
    List<String> out = new ArrayList<>();
    for (LiveMessage m; (m = queue.poll()) != null; ) out.add(new JsonObject(m.text()).getJsonObject("data").encode());
    return out;
  }

  @Test
  void should_replace_a_queued_snapshot_event_with_the_newer_one_in_place() {
    ClientQueue queue = new ClientQueue(10);
    queue.offer(event("session_updated", new JsonObject().put("id", "a").put("fill", 0.1)));
    queue.offer(event("request", new JsonObject().put("id", "r1")));
    queue.offer(event("session_updated", new JsonObject().put("id", "b").put("fill", 0.5)));
    queue.offer(event("session_updated", new JsonObject().put("id", "a").put("fill", 0.2)));
    queue.offer(event("provider_state", new JsonObject().put("provider", "groq").put("breaker", "open")));
    queue.offer(event("provider_state", new JsonObject().put("provider", "groq").put("breaker", "half_open")));
    queue.offer(event("context_map", new JsonObject().put("session", "a").put("fill", 1)));
    queue.offer(event("context_map", new JsonObject().put("session", "a").put("fill", 2)));
    assertEquals(3, queue.coalesced());
    assertEquals(List.of("{\"id\":\"a\",\"fill\":0.2}", "{\"id\":\"r1\"}", "{\"id\":\"b\",\"fill\":0.5}",
        "{\"provider\":\"groq\",\"breaker\":\"half_open\"}", "{\"session\":\"a\",\"fill\":2}"), drain(queue));
    assertEquals(0, queue.dropped());
  }

  @Test
  void should_drop_the_oldest_events_when_full_and_count_them() {
    ClientQueue queue = new ClientQueue(3);
    for (int i = 1; i <= 5; i++) queue.offer(event("request", new JsonObject().put("id", i)));
    assertEquals(2, queue.dropped());
    assertEquals(List.of("{\"id\":3}", "{\"id\":4}", "{\"id\":5}"), drain(queue));
    assertNull(queue.poll());
  }

  @Test
  void should_forget_the_key_of_a_dropped_snapshot_event() {
    ClientQueue queue = new ClientQueue(2);
    queue.offer(event("session_updated", new JsonObject().put("id", "a").put("n", 1)));
    queue.offer(event("alert", new JsonObject().put("n", 2)));
    queue.offer(event("alert", new JsonObject().put("n", 3))); // drops session a
    queue.offer(event("session_updated", new JsonObject().put("id", "a").put("n", 4))); // queued anew, drops alert 2
    assertEquals(2, queue.dropped());
    assertEquals(0, queue.coalesced());
    assertEquals(List.of("{\"n\":3}", "{\"id\":\"a\",\"n\":4}"), drain(queue));
  }

  @Test
  void should_not_coalesce_events_that_each_count() {
    assertNull(LiveMessage.coalescingKey("request", new JsonObject().put("id", "x")));
    assertNull(LiveMessage.coalescingKey("alert", new JsonObject().put("id", "x")));
    assertEquals("provider_state:groq", LiveMessage.coalescingKey("provider_state", new JsonObject().put("name", "groq")));
  }
}
