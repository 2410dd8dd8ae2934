package io.kimiproxy.api.resilience;

import static io.kimiproxy.testing.Stubs.ok;
import static io.kimiproxy.testing.Stubs.sequence;
import static io.kimiproxy.testing.Stubs.sse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.ScriptedUpstream;
import io.kimiproxy.testing.StrictStreamChecker;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, item 8: a provider's {@code timeout_s} bounds the client's whole wait, retries, backoffs
 * and fallbacks included, for whole and streamed answers alike. Each test asserts the answer came
 * after the deadline minus a second (the deadline is what ended it, not something else) and before
 * the deadline plus a margin (before, retries and fallbacks each took a fresh timeout: 10 s and
 * more, or no end at all).
 */
class RequestDeadlineTest {
  private static final long DEADLINE_MS = 3_000;
  /** Wide enough for a busy shared machine; a retry taking a fresh timeout would still blow it. */
  private static final long MARGIN_MS = 1_500;
  private static final String EVENT = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
      + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"more \"},\"finish_reason\":null}]}\n\n";
  private static ScriptedUpstream scripted;
  private static TestProxy proxy;

  @BeforeAll
  static void start() {
    scripted = ScriptedUpstream.start(RequestDeadlineTest::misbehave);
    String base = scripted.baseUrl().replace("/v1", "");
    proxy = TestProxy.start("""
        [providers.slow]
        base_url = "{{UPSTREAM}}/slow/v1"
        timeout_s = 3

        [providers.hasty]
        base_url = "{{UPSTREAM}}/hasty/v1"
        timeout_s = 3
        first_byte_timeout_s = 1
        max_retries = 5
        retry_base_ms = 10
        breaker_failures = 1000

        [providers.scripted]
        base_url = "%s/v1"
        timeout_s = 3

        [models."hasty/covered"]
        provider = "hasty"
        model = "h"
        fallbacks = ["slow/m"]

        [models."slow/m"]
        provider = "slow"
        model = "s"
        """.formatted(base));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    scripted.close();
  }

  @BeforeEach
  void reset() {
    proxy.upstream().resetAll();
    proxy.server().providerHealth().resetBreakers();
  }

  /** The scripted provider's three ways of never finishing, chosen by the model asked for. */
  private static void misbehave(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      String model = new JsonObject(body).getString("model");
      var response = request.response().setChunked(true);
      switch (model) {
        case "gap" -> response.putHeader("Content-Type", "application/json").write("{\"id\":\"x\",");
        case "dribble" -> {
          response.putHeader("Content-Type", "application/json");
          long timer = scripted.vertx().setPeriodic(100, id -> response.write(" "));
          request.connection().closeHandler(v -> scripted.vertx().cancelTimer(timer));
        }
        default -> {
          ScriptedUpstream.beginStream(request);
          long timer = scripted.vertx().setPeriodic(200, id -> response.write(Buffer.buffer(EVENT)));
          request.connection().closeHandler(v -> scripted.vertx().cancelTimer(timer));
        }
      }
    });
  }

  private static HttpResponse<String> timed(Supplier<HttpResponse<String>> call) {
    long start = System.nanoTime();
    HttpResponse<String> response = call.get();
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertTrue(elapsedMs >= DEADLINE_MS - 1_000, "answered after " + elapsedMs + " ms, before the deadline could end it: "
        + response.body());
    assertTrue(elapsedMs <= DEADLINE_MS + MARGIN_MS, "answered after " + elapsedMs + " ms, past the "
        + DEADLINE_MS + " ms deadline: " + response.body());
    return response;
  }

  private static void assertTimedOut(HttpResponse<String> response) {
    assertEquals(504, response.statusCode(), response.body());
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    assertEquals("upstream_timeout", error.getString("code"));
  }

  @Test
  void should_answer_a_slow_first_byte_by_the_deadline_whole() {
    sequence(proxy.upstream(), "/slow/v1/chat/completions", ok().withFixedDelay(10_000));
    HttpResponse<String> response = timed(() -> proxy.chat("slow/m", false, TestProxy.newSession()));
    assertTimedOut(response);
    assertTrue(response.body().contains("total 3 s"), response.body());
  }

  @Test
  void should_answer_a_slow_first_byte_by_the_deadline_streamed() {
    sequence(proxy.upstream(), "/slow/v1/chat/completions", sse("openai/chat-stream-text-basic.sse").withFixedDelay(10_000));
    assertTimedOut(timed(() -> proxy.chat("slow/m", true, TestProxy.newSession())));
  }

  @Test
  void should_fit_retries_and_fallbacks_in_the_first_deadline() {
    sequence(proxy.upstream(), "/hasty/v1/chat/completions", ok().withFixedDelay(10_000));
    sequence(proxy.upstream(), "/slow/v1/chat/completions", ok().withFixedDelay(10_000));
    assertTimedOut(timed(() -> proxy.chat("hasty/covered", false, TestProxy.newSession())));
  }

  @Test
  void should_end_an_idle_gap_in_a_whole_answer_by_the_deadline() {
    assertTimedOut(timed(() -> proxy.chat("scripted/gap", false, TestProxy.newSession())));
  }

  @Test
  void should_end_a_never_ending_whole_answer_by_the_deadline() {
    HttpResponse<String> response = timed(() -> proxy.chat("scripted/dribble", false, TestProxy.newSession()));
    assertTimedOut(response);
    assertTrue(response.body().contains("total 3 s"), response.body());
  }

  @Test
  void should_end_a_never_ending_stream_by_the_deadline() {
    HttpResponse<String> response = timed(() -> proxy.chat("scripted/stream", true, TestProxy.newSession()));
    assertEquals(200, response.statusCode(), "the stream had begun");
    StrictStreamChecker.Result stream = StrictStreamChecker.check(StrictStreamChecker.dataEvents(response.body()), false);
    assertTrue(stream.content().startsWith("more more "), stream.content());
    assertEquals("upstream_timeout", stream.error().getString("code"));
  }
}
