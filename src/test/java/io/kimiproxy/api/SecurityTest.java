package io.kimiproxy.api;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static io.kimiproxy.testing.OpenAiErrors.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.kimiproxy.testing.RawHttp;
import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.Stubs;
import io.kimiproxy.testing.TestProxy;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A web page the user opens, or a stranger on the network, must not spend the user's provider keys. */
class SecurityTest {
  private static final String CLIENT_KEY = "kp-client-key-5c1e7a90d2";

  @RegisterExtension
  static final SharedProxy PROXY = SharedProxy.with("""
      [providers.test]
      base_url = "{{UPSTREAM}}/v1"
      api_key = "${TEST_KEY}"

      [models."test/model"]
      provider = "test"
      model = "upstream-model"
      """, """
      api_keys = ["%s"]
      allowed_hosts = ["kimi.lan"]
      allowed_origins = ["http://localhost:5173"]
      """.formatted(CLIENT_KEY));

  @ParameterizedTest
  @ValueSource(strings = {"evil.example.com", "evil.example.com:8000", "localhost.evil.example.com", "kimi.lan.evil.example"})
  void should_refuse_a_host_header_that_is_neither_loopback_nor_configured(String host, TestProxy proxy) {
    String answer = RawHttp.get(proxy.server().port(), "/health", host);
    assertEquals(403, RawHttp.status(answer), answer);
    assertTrue(answer.contains("\"permission_error\""), answer);
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "localhost", "LOCALHOST:8000", "[::1]:8000", "kimi.lan"})
  void should_accept_loopback_and_configured_host_names(String host, TestProxy proxy) {
    String answer = RawHttp.get(proxy.server().port(), "/health", host);
    assertEquals(200, RawHttp.status(answer), answer);
  }

  @Test
  void should_refuse_a_foreign_origin(TestProxy proxy) {
    HttpResponse<String> response = proxy.send(authorized(proxy, "/v1/models").header("Origin", "https://evil.example.com").GET().build());
    assertError(response, 403, "permission_error");
  }

  @Test
  void should_accept_the_proxys_own_origin_and_configured_ones(TestProxy proxy) {
    String own = "http://127.0.0.1:" + proxy.server().port();
    assertEquals(200, proxy.send(authorized(proxy, "/v1/models").header("Origin", own).GET().build()).statusCode());
    assertEquals(200, proxy.send(authorized(proxy, "/v1/models").header("Origin", "http://localhost:5173").GET().build()).statusCode());
  }

  @Test
  void should_refuse_a_request_without_the_client_key(TestProxy proxy) {
    assertError(proxy.post("/v1/chat/completions", TestProxy.chat(false)), 401, "authentication_error");
    assertError(proxy.get("/api/sessions"), 401, "authentication_error");
    proxy.upstream().verify(0, anyRequestedFor(anyUrl()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Bearer wrong-key", "Bearer " + CLIENT_KEY + "x", "Basic " + CLIENT_KEY, "Bearer"})
  void should_refuse_a_wrong_client_key(String authorization, TestProxy proxy) {
    HttpResponse<String> response = proxy.send(proxy.request("/v1/models").header("Authorization", authorization).GET().build());
    assertError(response, 401, "authentication_error");
  }

  @Test
  void should_keep_health_open_for_monitors(TestProxy proxy) {
    assertEquals(200, proxy.get("/health").statusCode());
  }

  @Test
  void should_send_the_provider_key_upstream_never_the_client_key(TestProxy proxy) {
    proxy.upstream().stubFor(Stubs.chat().willReturn(Stubs.json(200, "openai/chat-nonstream-parallel-tool-calls.json")));
    HttpResponse<String> response = proxy.send(authorized(proxy, "/v1/chat/completions")
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(TestProxy.chat(false))).build());
    assertEquals(200, response.statusCode(), response.body());

    LoggedRequest upstream = proxy.upstream().getAllServeEvents().get(0).getRequest();
    assertEquals("Bearer " + TestProxy.KEY, upstream.getHeader("Authorization"));
    for (HttpHeader header : upstream.getHeaders().all()) {
      assertFalse(header.values().stream().anyMatch(v -> v.contains(CLIENT_KEY)), "client key sent upstream in " + header);
    }
    assertFalse(upstream.getBodyAsString().contains(CLIENT_KEY));
  }

  private static HttpRequest.Builder authorized(TestProxy proxy, String path) {
    return proxy.request(path).header("Authorization", "Bearer " + CLIENT_KEY);
  }
}
