package io.kimiproxy.api.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kimiproxy.testing.ScriptedUpstream;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A whole answer is read into memory, so one that never ends is cut at a bound, not left to fill the heap. */
class OversizedAnswerTest {
  private static final Buffer MEGABYTE = Buffer.buffer(" ".repeat(1 << 20));

  @Test
  void should_answer_502_when_a_whole_answer_grows_past_its_bound() {
    try (ScriptedUpstream upstream = ScriptedUpstream.start(request -> request.body().onSuccess(b -> {
          HttpServerResponse response = request.response().setChunked(true).putHeader("Content-Type", "application/json");
          response.write("{\"padding\":\"");
          endless(response);
        }));
         TestProxy proxy = TestProxy.start("""
             [providers.scripted]
             base_url = "%s"
             api_key = "${TEST_KEY}"
             timeout_s = 120
             max_retries = 0

             [models."test/model"]
             provider = "scripted"
             model = "upstream-model"
             """.formatted(upstream.baseUrl()))) {
      HttpResponse<String> answer = assertTimeoutPreemptively(Duration.ofSeconds(60),
          () -> proxy.post("/v1/chat/completions", TestProxy.chat(false)));
      assertEquals(502, answer.statusCode(), answer.body());
      assertEquals("bad_upstream_response", new JsonObject(answer.body()).getJsonObject("error").getString("code"));
    }
  }

  /** Writes a megabyte whenever the proxy has taken the last one: a body without end. */
  private static void endless(HttpServerResponse response) {
    if (response.closed()) return;
    response.write(MEGABYTE);
    if (response.writeQueueFull()) {
      response.drainHandler(v -> endless(response));
    } else {
      Vertx.currentContext().runOnContext(v -> endless(response));
    }
  }
}
