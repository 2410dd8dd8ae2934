package io.kimiproxy.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;

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
}
