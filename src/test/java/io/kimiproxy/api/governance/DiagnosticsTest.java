package io.kimiproxy.api.governance;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.kimiproxy.testing.Stubs.json;
import static io.kimiproxy.testing.Stubs.sequence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.Poll;
import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * GET /api/diagnostics against a reachable provider, one whose port is closed and one without a
 * key, plus the database, disk and cache figures; and the recovery actions that need no restart:
 * reset-breakers (after failures opened one), clear-cache and vacuum.
 */
class DiagnosticsTest {
  private static final int CLOSED_PORT = closedPort();

  @RegisterExtension
  static final SharedProxy SHARED = SharedProxy.with("""
      [providers.test]
      base_url = "{{UPSTREAM}}/v1"
      api_key = "${TEST_KEY}"
      max_retries = 0
      breaker_failures = 2
      breaker_reset_s = 300

      [providers.gone]
      base_url = "http://127.0.0.1:%d/v1"
      api_key = "${TEST_KEY}"
      connect_timeout_s = 2

      [providers.unset]
      base_url = "{{UPSTREAM}}/unset/v1"
      api_key = "${UNSET_KEY}"

      [models."test/model"]
      provider = "test"
      model = "upstream-model"
      """.formatted(CLOSED_PORT));

  /** A port nothing listens on: bound once by the system, then released. */
  private static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonObject post(TestProxy proxy, String path) {
    HttpResponse<String> response = proxy.post(path, "");
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  private static JsonObject provider(JsonObject diagnostics, String name) {
    return diagnostics.getJsonArray("providers").stream().map(JsonObject.class::cast)
        .filter(p -> name.equals(p.getString("provider"))).findFirst()
        .orElseThrow(() -> new AssertionError("no provider " + name + " in " + diagnostics.encode()));
  }

  private static String breaker(TestProxy proxy) {
    for (Object p : new JsonObject(proxy.get("/api/providers").body()).getJsonArray("data")) {
      if ("test".equals(((JsonObject) p).getString("name"))) return ((JsonObject) p).getString("breaker");
    }
    throw new AssertionError("no provider test in /api/providers");
  }

  @Test
  void should_probe_each_provider_and_measure_the_database_disk_and_cache(TestProxy proxy) {
    proxy.upstream().stubFor(get(urlEqualTo("/v1/models")).willReturn(okJson("{\"object\":\"list\",\"data\":[]}")));
    HttpResponse<String> response = proxy.get("/api/diagnostics");
    assertEquals(200, response.statusCode(), response.body());
    assertTrue(!response.body().contains(TestProxy.KEY), "the key is never in a response");
    JsonObject diagnostics = new JsonObject(response.body());

    JsonObject reachable = provider(diagnostics, "test");
    assertEquals(true, reachable.getBoolean("reachable"), reachable.encode());
    assertEquals(200, reachable.getInteger("status"));
    assertTrue(reachable.getDouble("connect_ms") >= 0 && reachable.getDouble("first_byte_ms") >= 0, reachable.encode());
    assertNull(reachable.getString("error"));
    proxy.upstream().verify(1, getRequestedFor(urlEqualTo("/v1/models"))
        .withHeader("Authorization", equalTo("Bearer " + TestProxy.KEY)));

    JsonObject gone = provider(diagnostics, "gone");
    assertEquals(false, gone.getBoolean("reachable"), gone.encode());
    assertNull(gone.getValue("connect_ms"));
    assertTrue(gone.getString("error") != null && !gone.getString("error").isBlank(), gone.encode());

    JsonObject unset = provider(diagnostics, "unset");
    assertNull(unset.getValue("reachable"), unset.encode());
    assertTrue(unset.getString("error").startsWith("not configured"), unset.encode());

    JsonObject database = diagnostics.getJsonObject("database");
    assertTrue(database.getDouble("write_ms") >= 0 && database.getDouble("read_ms") >= 0, database.encode());
    assertTrue(database.getLong("size_bytes") > 0, database.encode());
    assertNotNull(database.getLong("wal_bytes"), database.encode());
    assertTrue(diagnostics.getJsonObject("disk").getLong("usable_bytes") > 0, diagnostics.encode());
    JsonObject cache = diagnostics.getJsonObject("cache");
    assertNotNull(cache, diagnostics.encode());
    assertTrue(cache.containsKey("entries"), cache.encode());
  }

  @Test
  void should_close_an_open_breaker_on_reset_breakers(TestProxy proxy) {
    sequence(proxy.upstream(), "/v1/chat/completions", json(503, "gemini/error-503-unavailable-overloaded.json"));
    assertEquals(503, proxy.chat("test/model", false, TestProxy.newSession()).statusCode());
    assertEquals(503, proxy.chat("test/model", false, TestProxy.newSession()).statusCode());
    Poll.until(Duration.ofSeconds(5), () -> breaker(proxy), "open"::equals, "the breaker to open");

    JsonObject reset = post(proxy, "/api/recovery/reset-breakers");
    assertTrue(reset.getInteger("reset") >= 1, reset.encode());
    assertEquals("closed", breaker(proxy));
    assertEquals(0, post(proxy, "/api/recovery/reset-breakers").getInteger("reset"), "nothing left to reset");
  }

  @Test
  void should_vacuum_the_database_and_clear_the_cache_on_request(TestProxy proxy) {
    JsonObject vacuumed = post(proxy, "/api/recovery/vacuum");
    assertEquals(true, vacuumed.getBoolean("vacuumed"), vacuumed.encode());
    assertTrue(vacuumed.getLong("duration_ms") >= 0);
    assertEquals(0L, vacuumed.getJsonObject("database").getLong("wal_bytes"), "the WAL is checkpointed empty");
    assertEquals(true, post(proxy, "/api/recovery/clear-cache").getBoolean("cache_cleared"));
  }
}
