package io.kimiproxy.api.observability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.kimiproxy.testing.Stubs.json;
import static io.kimiproxy.testing.Stubs.okWithUsage;
import static io.kimiproxy.testing.Stubs.sequence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.LogCapture;
import io.kimiproxy.testing.Poll;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The log tells what happened to each request without anyone reading the database: one line per
 * request and per retry, one per breaker change and guardrail block; never the prompt, never a key.
 */
class RequestLogLinesTest {
  private static final String PROMPT = "PROMPT-TEXT-THAT-MUST-NOT-BE-LOGGED";
  private static final String CONFIG = """
      [providers.test]
      base_url = "{{UPSTREAM}}/v1"
      api_key = "${TEST_KEY}"
      max_retries = 1
      retry_base_ms = 10
      breaker_failures = 2
      breaker_reset_s = 600

      [models."test/model"]
      provider = "test"
      model = "upstream-model"
      max_context = 100000

      [guardrails.rules.TERMINAL_COMMAND]
      action = "block"
      """;
  private static final String RM_RF = new JsonObject().put("id", "chatcmpl-rm").put("object", "chat.completion")
      .put("created", 1).put("model", "upstream-model")
      .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("finish_reason", "tool_calls")
          .put("message", new JsonObject().put("role", "assistant").putNull("content").put("tool_calls", new JsonArray()
              .add(new JsonObject().put("id", "call_1").put("type", "function").put("function", new JsonObject()
                  .put("name", "execute_command").put("arguments", "{\"command\":\"rm -rf /\"}")))))))
      .put("usage", new JsonObject().put("prompt_tokens", 30).put("completion_tokens", 9).put("total_tokens", 39)).encode();

  private static HttpResponse<String> chat(TestProxy proxy, String session) {
    String body = new JsonObject().put("model", "test/model").put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", PROMPT))).encode();
    return proxy.send(proxy.request("/v1/chat/completions").header("Content-Type", "application/json")
        .header("User-Agent", "Cline/3.17").header("X-Session-Id", session)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private static String lineWith(LogCapture logs, String... parts) {
    return Poll.until(Duration.ofSeconds(10), () -> logs.lines().stream()
        .filter(l -> List.of(parts).stream().allMatch(l::contains)).findFirst().orElse(null),
        line -> line != null, "a log line with " + List.of(parts)).trim();
  }

  @Test
  void should_log_requests_retries_breaker_changes_and_guardrail_blocks_without_prompt_or_key() {
    try (LogCapture logs = LogCapture.start(); TestProxy proxy = TestProxy.start(CONFIG)) {
      String path = "/v1/chat/completions";
      sequence(proxy.upstream(), path, json(500, "openai/error-500-server-error.json"), okWithUsage(620, 12));
      HttpResponse<String> retried = chat(proxy, "log-retry");
      assertEquals(200, retried.statusCode(), retried.body());
      String id = retried.headers().firstValue("X-Request-Id").orElseThrow();

      String retry = lineWith(logs, "retry id=" + id);
      assertTrue(retry.contains("session=log-retry") && retry.contains("status=500") && retry.contains("attempt=1")
          && retry.contains("error=server_error"), retry);
      String request = lineWith(logs, "request id=" + id);
      for (String field : List.of("session=log-retry", "client=cline", "kind=chat", "api=chat", "model=test/model", "provider=test",
          "status=200", "error=-", "attempts=2", "prompt_tokens=620", "completion_tokens=12", "tokens_estimated=false",
          "cost_usd=", "queue_ms=", "ttfb_ms=", "total_ms=")) {
        assertTrue(request.contains(field), field + " in " + request);
      }

      proxy.upstream().resetAll();
      proxy.upstream().stubFor(io.kimiproxy.testing.Stubs.chat().willReturn(json(500, "openai/error-500-server-error.json")));
      // A request counts once toward the breaker, however many retries it made: two open it.
      assertEquals(500, chat(proxy, "log-breaker").statusCode());
      assertEquals(500, chat(proxy, "log-breaker").statusCode());
      String opened = lineWith(logs, "breaker provider=test state=open");
      assertTrue(opened.contains("WARNING"), opened);
      assertEquals(200, proxy.post("/api/recovery/reset-breakers", "").statusCode());
      lineWith(logs, "breaker provider=test state=closed");

      proxy.upstream().resetAll();
      proxy.upstream().stubFor(io.kimiproxy.testing.Stubs.chat().willReturn(aResponse()
          .withHeader("Content-Type", "application/json").withBody(RM_RF)));
      HttpResponse<String> blocked = chat(proxy, "log-guard");
      assertEquals(200, blocked.statusCode(), blocked.body());
      String guard = lineWith(logs, "guardrail ", "session=log-guard");
      assertTrue(guard.contains("decision=blocked") && guard.contains("tool=execute_command")
          && guard.contains("type=TERMINAL_COMMAND") && guard.contains("rule=blocked_patterns"), guard);
      assertFalse(guard.contains("rm -rf /\""), "the command's arguments stay out: " + guard);

      for (String line : logs.lines()) {
        assertFalse(line.contains(PROMPT), "prompt text in a log line: " + line);
        assertFalse(line.contains(TestProxy.KEY), "the provider key in a log line: " + line);
      }
    }
  }
}
