package io.kimiproxy.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads the usage ledger through the proxy's own API, as the dashboard does. */
public final class Ledger {
  private Ledger() {}

  /** GET /api/sessions/{id}: the session with its rows, newest first. */
  public static JsonObject session(TestProxy proxy, String id) {
    HttpResponse<String> response = proxy.get("/api/sessions/" + id);
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  /** The session a chat response was recorded in (named by its X-Kimi-Proxy-Session header). */
  public static JsonObject sessionOf(TestProxy proxy, HttpResponse<?> chat) {
    return session(proxy, chat.headers().firstValue("X-Kimi-Proxy-Session").orElseThrow());
  }

  /** The ledger row of a chat response (named by its X-Request-Id header). */
  public static JsonObject rowOf(TestProxy proxy, HttpResponse<?> chat) {
    String id = chat.headers().firstValue("X-Request-Id").orElseThrow();
    return sessionOf(proxy, chat).getJsonArray("requests").stream()
        .map(JsonObject.class::cast)
        .filter(row -> id.equals(row.getString("id")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no ledger row for request " + id));
  }

  /**
   * The rows of a session (requests and their earlier attempts), oldest first. A request's own row
   * is recorded just after its answer is sent, so this waits for the session to appear.
   */
  public static List<JsonObject> rows(TestProxy proxy, String session) {
    HttpResponse<String> response = Poll.until(Duration.ofSeconds(5), () -> proxy.get("/api/sessions/" + session),
        r -> r.statusCode() != 404, "session " + session);
    assertEquals(200, response.statusCode(), response.body());
    List<JsonObject> rows = new ArrayList<>();
    new JsonObject(response.body()).getJsonArray("requests").forEach(r -> rows.add(0, (JsonObject) r));
    return rows;
  }
}
