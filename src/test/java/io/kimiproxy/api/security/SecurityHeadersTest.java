package io.kimiproxy.api.security;

import static io.kimiproxy.testing.OpenAiErrors.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.RawHttp;
import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.Stubs;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11, item 2: no page elsewhere may frame the dashboard or make the browser misread an
 * answer, so every response carries the framing, sniffing and referrer headers (errors, 404s and
 * WebSocket refusals too), the dashboard's files a policy of their own origin only; and requests
 * that change something take JSON or nothing, so no form or text/plain post reaches them.
 */
class SecurityHeadersTest {
  @RegisterExtension
  static final SharedProxy PROXY = SharedProxy.standard();

  private static void assertProtected(String what, Function<String, String> header) {
    assertEquals("DENY", header.apply("X-Frame-Options"), what);
    assertEquals("nosniff", header.apply("X-Content-Type-Options"), what);
    assertEquals("no-referrer", header.apply("Referrer-Policy"), what);
    String policy = header.apply("Content-Security-Policy");
    assertTrue(policy != null && policy.contains("frame-ancestors 'none'"), what + ": " + policy);
  }

  private static void assertProtected(String what, HttpHeaders headers) {
    assertProtected(what, name -> headers.firstValue(name).orElse(null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/v1/models", "/health", "/api/sessions", "/api/export/csv", "/metrics", "/no/such/route",
      "/ws", "/api/mask/nope"})
  void should_send_the_headers_on_answers_and_errors_alike(String path, TestProxy proxy) {
    HttpResponse<String> response = proxy.get(path);
    assertProtected(path + " (" + response.statusCode() + ")", response.headers());
    assertEquals("default-src 'none'; frame-ancestors 'none'",
        response.headers().firstValue("Content-Security-Policy").orElseThrow());
  }

  @Test
  void should_send_them_on_method_host_and_body_refusals(TestProxy proxy) {
    assertProtected("405", proxy.send(proxy.request("/v1/models").DELETE().build()).headers());
    assertProtected("400", proxy.post("/v1/chat/completions", "{").headers());
    String foreign = RawHttp.get(proxy.server().port(), "/v1/models", "evil.example");
    assertEquals(403, RawHttp.status(foreign));
    assertProtected("403", name -> RawHttp.header(foreign, name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/index.html", "/app.js", "/app.css"})
  void should_give_the_dashboards_files_a_policy_of_their_own_origin_only(String path, TestProxy proxy) {
    HttpResponse<String> page = proxy.get(path);
    assertEquals(200, page.statusCode());
    assertProtected(path, page.headers());
    String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertTrue(policy.startsWith("default-src 'self'") && !policy.contains("unsafe") && !policy.contains("*"), policy);
  }

  @Test
  void should_send_them_when_refusing_a_websocket(TestProxy proxy) {
    URI ws = URI.create("ws://127.0.0.1:" + proxy.server().port() + "/ws");
    CompletionException failed = assertThrows(CompletionException.class, () -> proxy.http().newWebSocketBuilder()
        .header("Origin", "https://evil.example").buildAsync(ws, new WebSocket.Listener() { }).join());
    HttpResponse<?> refusal = assertInstanceOf(WebSocketHandshakeException.class, failed.getCause()).getResponse();
    assertEquals(403, refusal.statusCode());
    assertProtected("/ws refusal", refusal.headers());
  }

  @ParameterizedTest
  @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
      "application/jsonx", "text/json"})
  void should_refuse_a_body_that_is_not_json_on_requests_that_change_something(String type, TestProxy proxy) {
    HttpResponse<String> toggle = proxy.send(proxy.request("/api/guardrails/toggle").header("Content-Type", type)
        .POST(HttpRequest.BodyPublishers.ofString("{\"enabled\":false}")).build());
    JsonObject error = assertError(toggle, 415, "invalid_request_error");
    assertEquals("unsupported_media_type", error.getString("code"));
    assertProtected("415", toggle.headers());
    assertEquals(true, new JsonObject(proxy.get("/api/guardrails/stats").body()).getBoolean("enabled"));

    HttpResponse<String> rules = proxy.send(proxy.request("/api/guardrails/rules").header("Content-Type", type)
        .PUT(HttpRequest.BodyPublishers.ofString("{\"enabled\":false}")).build());
    assertEquals(415, rules.statusCode(), rules.body());
    proxy.upstream().stubFor(Stubs.chat().willReturn(Stubs.ok()));
    HttpResponse<String> chat = proxy.send(proxy.request("/v1/chat/completions").header("Content-Type", type)
        .POST(HttpRequest.BodyPublishers.ofString(TestProxy.chat(false))).build());
    assertEquals(415, chat.statusCode(), chat.body());
    assertEquals(0, Stubs.calls(proxy.upstream(), Stubs.CHAT_PATH), "a refused chat reached the provider");
  }

  @Test
  void should_refuse_a_body_without_a_content_type(TestProxy proxy) {
    HttpResponse<String> toggle = proxy.send(proxy.request("/api/sanitizer/toggle")
        .POST(HttpRequest.BodyPublishers.ofString("{\"enabled\":false}")).build());
    assertError(toggle, 415, "invalid_request_error");
  }

  @Test
  void should_take_json_with_parameters_and_bodiless_switches(TestProxy proxy) {
    proxy.upstream().stubFor(Stubs.chat().willReturn(Stubs.ok()));
    HttpResponse<String> chat = proxy.send(proxy.request("/v1/chat/completions")
        .header("Content-Type", "Application/JSON; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString(TestProxy.chat(false))).build());
    assertEquals(200, chat.statusCode(), chat.body());
    // The dashboard's switches post nothing, without a Content-Type.
    HttpResponse<String> flip = proxy.send(proxy.request("/api/sanitizer/toggle").POST(HttpRequest.BodyPublishers.noBody()).build());
    assertEquals(200, flip.statusCode(), flip.body());
    HttpResponse<String> back = proxy.send(proxy.request("/api/sanitizer/toggle").POST(HttpRequest.BodyPublishers.noBody()).build());
    assertFalse(new JsonObject(flip.body()).getBoolean("enabled").equals(new JsonObject(back.body()).getBoolean("enabled")));
  }
}
