package io.kimiproxy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.Fixtures;
import io.kimiproxy.testing.PathologicalTexts;
import io.kimiproxy.testing.ScriptedUpstream;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Message content that made the old scanners superlinear, sent through the real server: each
 * request is answered within a bound only a superlinear scan can break, and {@code GET /health},
 * called all along, answers quickly every time (the event loop never waits on a scan). The
 * provider is a plain Vert.x server that reads and drops each body (WireMock would keep every
 * megabyte in its journal) and answers with a recorded completion.
 */
class PathologicalContentTest {
  private static ScriptedUpstream upstream;
  private static TestProxy proxy;

  /** Generous: a linear pass over a megabyte takes milliseconds; the quadratic ones took minutes. */
  private static final Duration REQUEST_BOUND = Duration.ofSeconds(30);
  /**
   * Generous: /health answers in a millisecond when the event loop is free, and the old scanners
   * held it 8 s for a 20 kB message. Megabyte messages cost garbage collections, measured at up to
   * 750 ms each on a shared 2-core machine at load 12, so one probe may wait for two.
   */
  private static final Duration PROBE_BOUND = Duration.ofSeconds(3);

  @BeforeAll
  static void start() {
    String answer = Fixtures.text("openai/chat-nonstream-parallel-tool-calls.json");
    upstream = ScriptedUpstream.start(request -> request.handler(chunk -> { }).endHandler(end ->
        request.response().putHeader("Content-Type", "application/json").end(answer)));
    proxy = TestProxy.start("""
        [providers.scripted]
        base_url = "%s"
        api_key = "${TEST_KEY}"
        timeout_s = 60

        [models."test/model"]
        provider = "scripted"
        model = "upstream-model"
        max_context = 10000000
        """.formatted(upstream.baseUrl()));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    upstream.close();
  }

  @Test
  void should_answer_pathological_user_messages_while_health_stays_quick() {
    sendAll(text -> new JsonArray().add(message("user", text)));
  }

  @Test
  void should_answer_pathological_tool_results_while_health_stays_quick() {
    sendAll(text -> new JsonArray()
        .add(message("user", "Read the file."))
        .add(new JsonObject().put("role", "assistant").put("content", (String) null).put("tool_calls", new JsonArray()
            .add(new JsonObject().put("id", "call_1").put("type", "function").put("function",
                new JsonObject().put("name", "read_file").put("arguments", "{\"path\":\"a.txt\"}")))))
        .add(new JsonObject().put("role", "tool").put("tool_call_id", "call_1").put("content", text)));
  }

  @Test
  void should_answer_a_pathological_cline_tool_result_while_health_stays_quick() {
    sendAll(text -> new JsonArray().add(message("user", "Read the file."))
        .add(message("assistant", "<read_file><path>a.txt</path></read_file>"))
        .add(message("user", "[read_file for 'a.txt'] Result:\n" + text)));
  }

  @Test
  void should_answer_ten_thousand_tiny_messages_while_health_stays_quick() {
    JsonArray messages = new JsonArray();
    for (int i = 0; i < 10_000; i++) messages.add(message(i % 2 == 0 ? "user" : "assistant", "token=" + i));
    probing(() -> send("10,000 tiny messages", messages));
  }

  private static void sendAll(Function<String, JsonArray> messages) {
    probing(() -> {
      for (int size : new int[] {50_000, 1_000_000}) {
        for (Map.Entry<String, String> text : PathologicalTexts.ofSize(size).entrySet()) {
          send(text.getKey() + " of " + size, messages.apply(text.getValue()));
        }
      }
    });
  }

  private static void send(String name, JsonArray messages) {
    String body = new JsonObject().put("model", "test/model").put("messages", messages).encode();
    long start = System.nanoTime();
    HttpResponse<String> response = proxy.send(proxy.request("/v1/chat/completions").timeout(REQUEST_BOUND.multipliedBy(2))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertEquals(200, response.statusCode(), name + ": " + response.body());
    assertTrue(took.compareTo(REQUEST_BOUND) < 0, name + " took " + took);
  }

  /** Runs the requests while another thread keeps calling /health; every call must be quick. */
  private static void probing(Runnable requests) {
    AtomicBoolean done = new AtomicBoolean();
    List<Duration> slow = new CopyOnWriteArrayList<>();
    int[] probes = {0};
    Thread probe = new Thread(() -> {
      while (!done.get()) {
        long start = System.nanoTime();
        HttpResponse<String> health = proxy.get("/health");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (health.statusCode() != 200 || took.compareTo(PROBE_BOUND) > 0) slow.add(took);
        probes[0]++;
        sleep(20);
      }
    }, "health-probe");
    probe.start();
    try {
      requests.run();
    } finally {
      done.set(true);
      join(probe);
    }
    assertTrue(probes[0] > 0, "no probe ran");
    assertEquals(List.of(), slow, "slow /health answers out of " + probes[0]);
  }

  private static JsonObject message(String role, String content) {
    return new JsonObject().put("role", role).put("content", content);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void join(Thread thread) {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
