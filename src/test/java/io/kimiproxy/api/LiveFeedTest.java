package io.kimiproxy.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.LiveFeed;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dashboard's WebSocket through the real proxy: snapshot, live events, resync, and who may connect. */
class LiveFeedTest {
  private static final String ANSWER = """
      {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"upstream-model",
       "choices":[{"index":0,"message":{"role":"assistant","content":"hello"},"finish_reason":"stop"}],
       "usage":{"prompt_tokens":620,"completion_tokens":12,"total_tokens":632}}""";
  private TestProxy proxy;

  @AfterEach
  void stop() {
    if (proxy != null) proxy.close();
  }

  private void startAnswering() {
    proxy = TestProxy.start();
    proxy.upstream().stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse()
        .withHeader("Content-Type", "application/json").withBody(ANSWER)));
  }

  private HttpResponse<String> chat(String session) {
    return proxy.send(proxy.request("/v1/chat/completions").header("Content-Type", "application/json")
        .header("X-Session-Id", session).POST(HttpRequest.BodyPublishers.ofString(TestProxy.chat(false))).build());
  }

  @Test
  void should_send_a_snapshot_then_the_request_and_session_events() {
    startAnswering();
    try (LiveFeed feed = LiveFeed.connect(proxy, "")) {
      JsonObject init = feed.next("init").getJsonObject("data");
      assertEquals(new JsonArray(), init.getJsonArray("sessions"));
      assertEquals(new JsonArray(), init.getJsonArray("requests"));
      JsonObject provider = init.getJsonArray("providers").getJsonObject(0);
      assertEquals("test", provider.getString("name"));
      assertEquals(true, provider.getBoolean("configured"));
      assertEquals(new JsonArray().add("test/model"), provider.getJsonArray("models"));
      assertEquals(0.0, init.getJsonObject("usage").getJsonObject("today").getDouble("cost_usd"));
      assertEquals(15_000L, init.getJsonObject("server").getLong("heartbeat_ms"));

      HttpResponse<String> answer = chat("live-1");
      assertEquals(200, answer.statusCode());
      String requestId = answer.headers().firstValue("X-Request-Id").orElseThrow();

      JsonObject request = feed.next("request");
      assertTrue(request.getLong("ts") > 0);
      JsonObject row = request.getJsonObject("data");
      assertEquals(requestId, row.getString("id"));
      assertEquals("live-1", row.getString("session"));
      assertEquals("test/model", row.getString("model"));
      assertEquals("test", row.getString("provider"));
      assertEquals(200, row.getInteger("status"));
      assertEquals(620L, row.getLong("prompt_tokens"));
      assertEquals(12L, row.getLong("completion_tokens"));
      assertEquals((620 * 2.0 + 12 * 4.0) / 1e6, row.getDouble("cost_usd"), 1e-12);
      assertNotNull(row.getLong("latency_ms"));

      JsonObject session = feed.next("session_updated").getJsonObject("data");
      assertEquals("live-1", session.getString("id"));
      assertEquals(0.62, session.getDouble("context_fill"), 1e-9);
      assertEquals(620L, session.getLong("last_prompt_tokens"));
      assertEquals(1000L, session.getLong("max_context"));
      assertTrue(session.containsKey("phase"));
      assertNull(session.getValue("phase"));
    }
  }

  @Test
  void should_resync_a_reconnected_client_with_what_it_missed() {
    startAnswering();
    try (LiveFeed feed = LiveFeed.connect(proxy, "")) {
      feed.next("init");
    }
    String missed = chat("while-away").headers().firstValue("X-Request-Id").orElseThrow();
    try (LiveFeed feed = LiveFeed.connect(proxy, "")) {
      JsonObject init = feed.next("init").getJsonObject("data");
      assertEquals(missed, init.getJsonArray("requests").getJsonObject(0).getString("id"));
      JsonObject session = init.getJsonArray("sessions").getJsonObject(0);
      assertEquals("while-away", session.getString("id"));
      assertEquals(0.62, session.getDouble("context_fill"), 1e-9);
      JsonObject today = init.getJsonObject("usage").getJsonObject("today");
      assertEquals(1L, today.getLong("requests"));
      assertEquals(632L, today.getLong("prompt_tokens") + today.getLong("completion_tokens"));
    }
  }

  @Test
  void should_report_a_stream_that_breaks_after_it_began() {
    proxy = TestProxy.start();
    proxy.upstream().stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse()
        .withHeader("Content-Type", "text/event-stream")
        .withBody("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}\n\n"
            + "data: {\"error\":{\"message\":\"model overloaded\",\"type\":\"server_error\",\"code\":\"overloaded\"}}\n\n")));
    try (LiveFeed feed = LiveFeed.connect(proxy, "")) {
      feed.next("init");
      HttpResponse<String> answer = proxy.post("/v1/chat/completions", TestProxy.chat(true));
      assertEquals(200, answer.statusCode());
      JsonObject error = feed.next("streaming_error").getJsonObject("data");
      assertEquals(answer.headers().firstValue("X-Request-Id").orElseThrow(), error.getString("id"));
      assertEquals("test", error.getString("provider"));
      assertTrue(error.getString("message").contains("model overloaded"), error.encode());
    }
  }

  @Test
  void should_relay_events_other_features_publish() {
    proxy = TestProxy.start();
    try (LiveFeed feed = LiveFeed.connect(proxy, "")) {
      feed.next("init");
      proxy.server().events().publish("alert", new JsonObject().put("level", "warning").put("message", "30 % left"));
      proxy.server().events().publish("provider_state", new JsonObject().put("provider", "test").put("breaker", "open"));
      assertEquals("30 % left", feed.next("alert").getJsonObject("data").getString("message"));
      assertEquals("open", feed.next("provider_state").getJsonObject("data").getString("breaker"));
    }
    // The latest provider state is part of the next snapshot.
    try (LiveFeed feed = LiveFeed.connect(proxy, "")) {
      JsonObject provider = feed.next("init").getJsonObject("data").getJsonArray("providers").getJsonObject(0);
      assertEquals("open", provider.getString("breaker"));
      assertEquals(true, provider.getBoolean("configured"));
    }
  }

  @Test
  void should_refuse_a_socket_from_another_origin() {
    proxy = TestProxy.start();
    CompletionException failure = assertThrows(CompletionException.class, () -> proxy.http().newWebSocketBuilder()
        .header("Origin", "http://evil.example")
        .buildAsync(URI.create(proxy.baseUrl().replace("http:", "ws:") + "/ws"), new java.net.http.WebSocket.Listener() {})
        .join());
    WebSocketHandshakeException refused = assertInstanceOf(WebSocketHandshakeException.class, failure.getCause());
    assertEquals(403, refused.getResponse().statusCode());
  }

  @Test
  void should_take_the_client_key_as_query_or_subprotocol_when_keys_are_required() {
    proxy = TestProxy.start(TestProxy.ONE_PROVIDER, "api_keys = [\"client-key-1\"]");
    String ws = proxy.baseUrl().replace("http:", "ws:") + "/ws";
    CompletionException failure = assertThrows(CompletionException.class, () -> proxy.http().newWebSocketBuilder()
        .buildAsync(URI.create(ws), new java.net.http.WebSocket.Listener() {}).join());
    assertEquals(401, ((WebSocketHandshakeException) failure.getCause()).getResponse().statusCode());

    try (LiveFeed feed = LiveFeed.connect(proxy, "?key=client-key-1")) {
      feed.next("init");
    }
    String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString("client-key-1".getBytes(StandardCharsets.UTF_8));
    try (LiveFeed feed = LiveFeed.connect(proxy, "", "kimi-proxy", "kimi-key." + encoded)) {
      feed.next("init");
      assertEquals("kimi-proxy", feed.socket().getSubprotocol());
    }
    // Only the WebSocket takes the key from the URL: elsewhere it would end up in histories and logs.
    assertEquals(401, proxy.get("/api/sessions?key=client-key-1").statusCode());
  }
}
