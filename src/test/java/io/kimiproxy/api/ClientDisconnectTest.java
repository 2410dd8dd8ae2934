package io.kimiproxy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.Fixtures;
import io.kimiproxy.testing.Ledger;
import io.kimiproxy.testing.Poll;
import io.kimiproxy.testing.ScriptedUpstream;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A client that hangs up mid-stream must not leave the provider generating (and billing) for nobody. */
class ClientDisconnectTest {
  /** Events the provider would send if nobody stopped it: 200 x 100 ms, far longer than the test. */
  private static final int EVENTS = 200;
  private static final String EVENT = Fixtures.text("openai/chat-stream-text-include-usage.sse").split("\n\n")[1] + "\n\n";

  private final AtomicInteger sent = new AtomicInteger();
  private final AtomicBoolean finished = new AtomicBoolean();
  private ScriptedUpstream slow;
  private TestProxy proxy;

  @BeforeEach
  void start() {
    slow = ScriptedUpstream.start(request -> {
      ScriptedUpstream.beginStream(request);
      request.response().write(EVENT);
      sent.incrementAndGet();
      slow.vertx().setPeriodic(100, id -> {
        if (request.response().closed()) {
          slow.vertx().cancelTimer(id);
          return;
        }
        request.response().write(EVENT);
        if (sent.incrementAndGet() == EVENTS) {
          slow.vertx().cancelTimer(id);
          finished.set(true);
          request.response().end("data: [DONE]\n\n");
        }
      });
    });
    proxy = TestProxy.start("""
        [providers.slow]
        base_url = "%s"
        api_key = "${TEST_KEY}"
        """.formatted(slow.baseUrl()));
  }

  @AfterEach
  void stop() {
    proxy.close();
    slow.close();
  }

  @Test
  void should_close_the_upstream_request_and_record_499_when_the_client_disconnects() throws Exception {
    String body = "{\"model\":\"slow/gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Count to a thousand\"}]}";
    try (Socket socket = new Socket("127.0.0.1", proxy.server().port())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "X-Session-Id: disconnect-test\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
          + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
      out.flush();
      BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      assertTrue(reader.readLine().startsWith("HTTP/1.1 200"));
      String line;
      while ((line = reader.readLine()) != null && !line.startsWith("data: ")) {
        // headers and chunk sizes, up to the first event
      }
      assertTrue(line != null && line.contains("chat.completion.chunk"), "first event: " + line);
    } // the client hangs up here, after one event

    slow.connectionClosed().get(10, TimeUnit.SECONDS);
    assertFalse(finished.get(), "the provider's connection closed only after it had sent all " + sent.get() + " events");

    JsonArray rows = Poll.until(Duration.ofSeconds(10), () -> requestsOf("disconnect-test"), r -> !r.isEmpty(),
        "the ledger row of the abandoned stream");
    JsonObject row = rows.getJsonObject(0);
    assertEquals(499, row.getInteger("status"), row.encode());
    assertEquals("client_closed", row.getString("error_type"));
    assertTrue(row.getBoolean("stream"));
    assertTrue(row.getLong("completion_tokens") > 0, "what was relayed before the hang-up is counted: " + row.encode());
  }

  private JsonArray requestsOf(String session) {
    if (proxy.get("/api/sessions/" + session).statusCode() == 404) return new JsonArray();
    return Ledger.session(proxy, session).getJsonArray("requests");
  }
}
