package io.kimiproxy.api.resilience;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.kimiproxy.testing.LedgerAssertions.assertAttempts;
import static io.kimiproxy.testing.Stubs.calls;
import static io.kimiproxy.testing.Stubs.ok;
import static io.kimiproxy.testing.Stubs.sequence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.Ledger;
import io.kimiproxy.testing.StrictStreamChecker;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each of a provider's deadlines ends a call that overstays it, with a 504 upstream_timeout that
 * names the deadline: connecting, the first byte, the silence between chunks, the whole call. A
 * timeout before the client saw anything is retried like any transient failure.
 */
class UpstreamTimeoutsTest {
  private static final String ANSWER = "{\"id\":\"x\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\","
      + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"late\"},\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6}}";
  private static TestProxy proxy;
  private static ServerSocket fullBacklog;
  private static final List<Socket> queued = new ArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    fullBacklog = saturatedListener();
    proxy = TestProxy.start(("""
        [providers.slow]
        base_url = "{{UPSTREAM}}/slow/v1"
        first_byte_timeout_s = 1
        max_retries = 0

        [providers.slow-then-fast]
        base_url = "{{UPSTREAM}}/slow-then-fast/v1"
        first_byte_timeout_s = 1
        max_retries = 1
        retry_base_ms = 10

        [providers.gappy]
        base_url = "{{UPSTREAM}}/gappy/v1"
        first_byte_timeout_s = 5
        idle_timeout_s = 1
        max_retries = 2

        [providers.endless]
        base_url = "{{UPSTREAM}}/endless/v1"
        timeout_s = 2
        max_retries = 0

        [providers.unreachable]
        base_url = "http://127.0.0.1:%d/v1"
        connect_timeout_s = 1
        max_retries = 0
        """).formatted(fullBacklog.getLocalPort()));
  }

  @AfterAll
  static void stop() throws IOException {
    proxy.close();
    for (Socket socket : queued) socket.close();
    fullBacklog.close();
  }

  @BeforeEach
  void reset() {
    proxy.upstream().resetAll();
  }

  private static JsonObject error(HttpResponse<String> response) {
    return new JsonObject(response.body()).getJsonObject("error");
  }

  @Test
  void should_give_up_on_a_first_byte_later_than_first_byte_timeout() {
    sequence(proxy.upstream(), "/slow/v1/chat/completions", ok().withFixedDelay(3_000));
    String session = TestProxy.newSession();
    HttpResponse<String> response = proxy.chat("slow/m", false, session);
    assertEquals(504, response.statusCode(), response.body());
    assertEquals("upstream_timeout", error(response).getString("code"));
    assertTrue(error(response).getString("message").contains("no first byte within 1 s"), response.body());
    assertAttempts(Ledger.rows(proxy, session), 504);
  }

  @Test
  void should_retry_a_first_byte_timeout() {
    sequence(proxy.upstream(), "/slow-then-fast/v1/chat/completions", ok().withFixedDelay(3_000), ok());
    String session = TestProxy.newSession();
    assertEquals(200, proxy.chat("slow-then-fast/m", false, session).statusCode());
    assertAttempts(Ledger.rows(proxy, session), 504, 200);
  }

  @Test
  void should_end_a_stream_that_goes_silent_after_its_first_event() {
    // WireMock sends the body in two halves, each after a 2 s pause: the first half is exactly one
    // event, so the client has it when the 1 s idle deadline passes in the second pause.
    String event = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
        + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hello\"},\"finish_reason\":null}]}\n\n";
    String sameLengthComment = ": " + "k".repeat(event.length() - 4) + "\n\n";
    sequence(proxy.upstream(), "/gappy/v1/chat/completions", aResponse().withStatus(200)
        .withHeader("Content-Type", "text/event-stream")
        .withBody((event + sameLengthComment).getBytes(StandardCharsets.UTF_8))
        .withChunkedDribbleDelay(2, 4_000));
    String session = TestProxy.newSession();
    HttpResponse<String> response = proxy.chat("gappy/m", true, session);
    assertEquals(200, response.statusCode());
    StrictStreamChecker.Result stream = StrictStreamChecker.check(StrictStreamChecker.dataEvents(response.body()), false);
    assertEquals("Hello", stream.content());
    assertEquals("upstream_timeout", stream.error().getString("code"));
    assertTrue(stream.error().getString("message").contains("no data for 1 s"), response.body());
    assertEquals(1, calls(proxy.upstream(), "/gappy/v1/chat/completions"), "the client had a chunk: no retry");
    assertAttempts(Ledger.rows(proxy, session), 504);
  }

  @Test
  void should_end_a_call_that_keeps_dribbling_past_the_total_timeout() {
    // Whitespace keep-alives before the JSON, as OpenRouter sends: activity, but never an answer in time.
    String body = " ".repeat(2_000) + ANSWER;
    sequence(proxy.upstream(), "/endless/v1/chat/completions", aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json").withBody(body).withChunkedDribbleDelay(10, 5_000));
    String session = TestProxy.newSession();
    HttpResponse<String> response = proxy.chat("endless/m", false, session);
    assertEquals(504, response.statusCode(), response.body());
    assertTrue(error(response).getString("message").contains("total 2 s"), response.body());
    assertAttempts(Ledger.rows(proxy, session), 504);
  }

  @Test
  void should_give_up_on_a_connection_that_is_never_accepted() {
    String session = TestProxy.newSession();
    HttpResponse<String> response = proxy.chat("unreachable/m", false, session);
    assertEquals(504, response.statusCode(), response.body());
    assertTrue(error(response).getString("message").contains("(connect)"), response.body());
    assertAttempts(Ledger.rows(proxy, session), 504);
  }

  /**
   * A listener whose accept queue is full and never drained: the kernel drops further SYNs, so a
   * connect attempt hangs until the client's own connect timeout, as with a black-holed host.
   */
  private static ServerSocket saturatedListener() throws IOException {
    ServerSocket server = new ServerSocket(0, 1);
    for (int i = 0; i < 8; i++) {
      Socket socket = new Socket();
      try {
        socket.connect(new InetSocketAddress("127.0.0.1", server.getLocalPort()), 200);
        queued.add(socket);
      } catch (IOException full) {
        socket.close();
        return server;
      }
    }
    throw new UncheckedIOException(new IOException("the accept queue never filled up"));
  }
}
