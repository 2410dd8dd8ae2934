package io.kimiproxy.api.resilience;

import static io.kimiproxy.testing.LedgerAssertions.assertAttempts;
import static io.kimiproxy.testing.Upstream.calls;
import static io.kimiproxy.testing.Upstream.json;
import static io.kimiproxy.testing.Upstream.ok;
import static io.kimiproxy.testing.Upstream.sequence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.core.events.EventNames;
import io.kimiproxy.testing.RecordingEvents;
import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An alias's fallbacks answer when its provider's retries are spent, or when the prompt does not
 * fit its context window; a request error is the client's and goes back to it. Each switch is a
 * model_fallback event, and each failed attempt a ledger row.
 */
class FallbackChainTest {
  private static final String PRIMARY = "/primary/v1/chat/completions";
  private static final String BACKUP = "/backup/v1/chat/completions";
  private static final RecordingEvents events = new RecordingEvents();
  @RegisterExtension
  static final SharedProxy SHARED = new SharedProxy("""
        [providers.primary]
        base_url = "{{UPSTREAM}}/primary/v1"
        max_retries = 1
        retry_base_ms = 10
        breaker_failures = 1000

        [providers.backup]
        base_url = "{{UPSTREAM}}/backup/v1"

        [providers.keyless-but-unset]
        base_url = "{{UPSTREAM}}/never/v1"
        api_key = "${UNSET_KEY}"

        [models.small]
        provider = "primary"
        model = "small-model"
        max_context = 1000
        fallbacks = ["unset", "big"]

        [models.big]
        provider = "backup"
        model = "big-model"
        max_context = 100000

        [models.tiny]
        provider = "primary"
        model = "tiny-model"
        max_context = 10
        fallbacks = ["small"]

        [models.unset]
        provider = "keyless-but-unset"
        model = "x"
        """, events);

  private static List<JsonObject> fallbacks(String session) {
    return events.of(EventNames.MODEL_FALLBACK).stream().filter(e -> session.equals(e.getString("session"))).toList();
  }

  /** A prompt of about 2,000 tokens: too big for "small" (1,000), fine for "big". */
  private static HttpResponse<String> longChat(String model, String session) {
    String words = "lorem ipsum dolor sit amet ".repeat(400);
    String body = new JsonObject().put("model", model).put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", words))).encode();
    return proxy().send(proxy().request("/v1/chat/completions").header("Content-Type", "application/json")
        .header("X-Session-Id", session).POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  @Test
  void should_fall_back_when_retries_are_exhausted() {
    sequence(proxy().upstream(), PRIMARY, json(503, "gemini/error-503-unavailable-overloaded.json"));
    sequence(proxy().upstream(), BACKUP, ok());
    String session = TestProxy.newSession();
    HttpResponse<String> response = proxy().chat("small", false, session);
    assertEquals(200, response.statusCode(), response.body());
    assertEquals(2, calls(proxy().upstream(), PRIMARY), "the first call and max_retries = 1 more");
    assertEquals(1, calls(proxy().upstream(), BACKUP));
    List<JsonObject> rows = proxy().ledgerRows(session);
    JsonObject request = assertAttempts(rows, 503, 503, 200);
    assertEquals("primary", rows.get(0).getString("provider"));
    assertEquals("small", rows.get(1).getString("model"));
    assertEquals("backup", request.getString("provider"));
    assertEquals("big", request.getString("model"));
    assertEquals(List.of(new JsonObject().put("session", session).put("from", "small").put("to", "big")
        .put("reason", "retries_exhausted")), fallbacks(session), "the fallback without a key is skipped");
  }

  @Test
  void should_not_fall_back_on_a_request_error() {
    sequence(proxy().upstream(), PRIMARY, json(400, "openai/error-400-unsupported-parameter.json"));
    sequence(proxy().upstream(), BACKUP, ok());
    String session = TestProxy.newSession();
    assertEquals(400, proxy().chat("small", false, session).statusCode());
    assertEquals(0, calls(proxy().upstream(), BACKUP));
    assertEquals(List.of(), fallbacks(session));
    assertAttempts(proxy().ledgerRows(session), 400);
  }

  @Test
  void should_send_a_prompt_too_big_for_the_alias_to_a_fallback_with_a_larger_window() {
    sequence(proxy().upstream(), BACKUP, ok());
    String session = TestProxy.newSession();
    HttpResponse<String> response = longChat("small", session);
    assertEquals(200, response.statusCode(), response.body());
    assertEquals(0, calls(proxy().upstream(), PRIMARY));
    JsonObject request = assertAttempts(proxy().ledgerRows(session), 200);
    assertEquals("big", request.getString("model"));
    assertEquals("context_length", fallbacks(session).get(0).getString("reason"));
  }

  @Test
  void should_answer_context_length_exceeded_when_no_fallback_is_large_enough() {
    String session = TestProxy.newSession();
    HttpResponse<String> response = longChat("tiny", session);
    assertEquals(400, response.statusCode(), response.body());
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    assertEquals("context_length_exceeded", error.getString("code"));
    assertEquals("invalid_request_error", error.getString("type"));
    assertEquals("messages", error.getString("param"));
    assertTrue(error.getString("message").startsWith("This model's maximum context length is 10 tokens."), error.encode());
    assertEquals(0, calls(proxy().upstream(), PRIMARY) + calls(proxy().upstream(), BACKUP));
    assertAttempts(proxy().ledgerRows(session), 400);
  }

  private static TestProxy proxy() {
    return SHARED.proxy();
  }
}
