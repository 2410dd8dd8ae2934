package io.kimiproxy.api.security;

import static io.kimiproxy.testing.OpenAiErrors.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.config.ConfigException;
import io.kimiproxy.config.ConfigLoader;
import io.kimiproxy.testing.RawHttp;
import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11, item 1: a page at a name the attacker's DNS points at 127.0.0.1 arrives with that name
 * in Host. Only exact names pass: {@code localhost}, IP literals (parsed, not matched by their
 * first characters), {@code server.host} and {@code server.allowed_hosts}; the same rule decides at
 * start-up whether {@code server.host} is loopback. And the loopback names are one origin.
 */
class DnsRebindingTest {
  @RegisterExtension
  static final SharedProxy PROXY = SharedProxy.standard();

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1.evil.example", "127.x.attacker.test", "localhost.evil.test",
      "127.0.0.1.evil.example:8000", "localhost.", "127.1", "0x7f.0.0.1"})
  void should_refuse_a_rebinding_name_that_looks_like_loopback(String host, TestProxy proxy) {
    String answer = RawHttp.get(proxy.server().port(), "/v1/models", host);
    assertEquals(403, RawHttp.status(answer), answer);
    JsonObject error = new JsonObject(RawHttp.body(answer)).getJsonObject("error");
    assertEquals("permission_error", error.getString("type"));
    assertTrue(error.getString("message").contains("server.allowed_hosts"), answer);
  }

  /** Not a name at all: a bracketed address with a domain after it is a malformed Host. */
  @Test
  void should_refuse_an_ipv6_literal_with_a_domain_after_it(TestProxy proxy) {
    String answer = RawHttp.get(proxy.server().port(), "/v1/models", "[::1].evil.test");
    assertEquals(400, RawHttp.status(answer), answer);
    assertEquals("invalid_request_error", new JsonObject(RawHttp.body(answer)).getJsonObject("error").getString("type"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "localhost", "LocalHost:8000", "[::1]", "[::1]:8000", "127.0.0.2", "10.1.2.3",
      "[fe80::1]"})
  void should_accept_loopback_names_and_ip_literals(String host, TestProxy proxy) {
    String answer = RawHttp.get(proxy.server().port(), "/v1/models", host);
    assertEquals(200, RawHttp.status(answer), answer);
  }

  @Test
  void should_not_let_a_rebinding_page_switch_the_guardrails_off(TestProxy proxy) {
    String post = "POST /api/guardrails/toggle HTTP/1.1\r\nHost: 127.0.0.1.evil.example:%d\r\n"
        + "Origin: http://127.0.0.1.evil.example:%d\r\nContent-Type: text/plain\r\nContent-Length: 17\r\n"
        + "Connection: close\r\n\r\n{\"enabled\":false}";
    int port = proxy.server().port();
    assertEquals(403, RawHttp.status(RawHttp.exchange(port, post.formatted(port, port))));
    assertEquals(true, new JsonObject(proxy.get("/api/guardrails/stats").body()).getBoolean("enabled"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://localhost:%d", "http://127.0.0.1:%d", "http://[::1]:%d", "http://LOCALHOST:%d"})
  void should_take_every_loopback_name_on_the_proxys_port_as_its_own_origin(String origin, TestProxy proxy) {
    int port = proxy.server().port();
    String answer = RawHttp.exchange(port, "GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nOrigin: "
        + origin.formatted(port) + "\r\nConnection: close\r\n\r\n");
    assertEquals(200, RawHttp.status(answer), answer);
  }

  /** Behind a TLS front end the browser's origin is https://NAME and the Host that arrives has no port. */
  @Test
  void should_take_the_host_without_a_port_as_the_origins_default_port(TestProxy proxy) {
    int port = proxy.server().port();
    for (String origin : new String[] {"https://10.0.0.7", "http://10.0.0.7", "https://10.0.0.7:443"}) {
      String answer = RawHttp.exchange(port, "GET /v1/models HTTP/1.1\r\nHost: 10.0.0.7\r\nOrigin: " + origin
          + "\r\nConnection: close\r\n\r\n");
      assertEquals(200, RawHttp.status(answer), origin + ": " + answer);
    }
    String other = RawHttp.exchange(port, "GET /v1/models HTTP/1.1\r\nHost: 10.0.0.7\r\nOrigin: https://10.0.0.7:8443"
        + "\r\nConnection: close\r\n\r\n");
    assertEquals(403, RawHttp.status(other), other);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1.evil.example:%d", "http://localhost:1%d", "null", "http://localhost:%d/x",
      "file://", "http://user@localhost:%d"})
  void should_refuse_any_other_origin(String origin, TestProxy proxy) {
    int port = proxy.server().port();
    assertError(proxy.send(proxy.request("/v1/models").header("Origin", origin.formatted(port)).GET().build()),
        403, "permission_error");
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1.evil.example", "127.x.attacker.test", "localhost.evil.test", "0.0.0.0"})
  void should_refuse_to_start_on_a_name_that_is_not_loopback_without_client_keys(String host) {
    String config = "[server]\nhost = \"" + host + "\"\n";
    ConfigException refused = assertThrows(ConfigException.class,
        () -> ConfigLoader.parse(config, Path.of("config.toml"), Map.of()));
    assertTrue(refused.getMessage().contains("server.host") && refused.getMessage().contains("server.api_keys"),
        refused.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"})
  void should_start_on_a_loopback_address_without_client_keys(String host) {
    String config = "[server]\nhost = \"" + host + "\"\n";
    assertEquals(host, ConfigLoader.parse(config, Path.of("config.toml"), Map.of()).server().host());
  }
}
