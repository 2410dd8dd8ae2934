package io.kimiproxy.api.resilience;

import static io.kimiproxy.testing.LedgerAssertions.assertAttempts;
import static io.kimiproxy.testing.Stubs.calls;
import static io.kimiproxy.testing.Stubs.json;
import static io.kimiproxy.testing.Stubs.ok;
import static io.kimiproxy.testing.Stubs.sequence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.core.events.EventNames;
import io.kimiproxy.testing.Ledger;
import io.kimiproxy.testing.LiveFeed;
import io.kimiproxy.testing.ProxyPerClass;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
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
  @RegisterExtension
  static final ProxyPerClass SHARED = new ProxyPerClass("""
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
        """);

  /** A response, and the model_fallback events of its session that the dashboard saw before its request event. */
  private record Watched(HttpResponse<String> response, List<JsonObject> fallbacks) {}

  private static Watched watched(String session, Supplier<HttpResponse<String>> request) {
    try (LiveFeed feed = LiveFeed.connect(proxy(), "")) {
      feed.next("init");
      HttpResponse<String> response = request.get();
      List<JsonObject> fallbacks = new ArrayList<>();
      feed.next(message -> {
        JsonObject data = message.getJsonObject("data");
        boolean ours = data != null && session.equals(data.getString("session"));
        if (ours && EventNames.MODEL_FALLBACK.equals(message.getString("type"))) fallbacks.add(data);
        return ours && EventNames.REQUEST.equals(message.getString("type"));
      }, "the request event of " + session);
      return new Watched(response, fallbacks);
    }
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
    Watched watched = watched(session, () -> proxy().chat("small", false, session));
    assertEquals(200, watched.response().statusCode(), watched.response().body());
    assertEquals(2, calls(proxy().upstream(), PRIMARY), "the first call and max_retries = 1 more");
    assertEquals(1, calls(proxy().upstream(), BACKUP));
    List<JsonObject> rows = Ledger.rows(proxy(), session);
    JsonObject request = assertAttempts(rows, 503, 503, 200);
    assertEquals("primary", rows.get(0).getString("provider"));
    assertEquals("small", rows.get(1).getString("model"));
    assertEquals("backup", request.getString("provider"));
    assertEquals("big", request.getString("model"));
    assertEquals(List.of(new JsonObject().put("session", session).put("from", "small").put("to", "big")
        .put("reason", "retries_exhausted")), watched.fallbacks(), "the fallback without a key is skipped");
  }

  @Test
  void should_not_fall_back_on_a_request_error() {
    sequence(proxy().upstream(), PRIMARY, json(400, "openai/error-400-unsupported-parameter.json"));
    sequence(proxy().upstream(), BACKUP, ok());
    String session = TestProxy.newSession();
    Watched watched = watched(session, () -> proxy().chat("small", false, session));
    assertEquals(400, watched.response().statusCode());
    assertEquals(0, calls(proxy().upstream(), BACKUP));
    assertEquals(List.of(), watched.fallbacks());
    assertAttempts(Ledger.rows(proxy(), session), 400);
  }

  @Test
  void should_send_a_prompt_too_big_for_the_alias_to_a_fallback_with_a_larger_window() {
    sequence(proxy().upstream(), BACKUP, ok());
    String session = TestProxy.newSession();
    Watched watched = watched(session, () -> longChat("small", session));
    assertEquals(200, watched.response().statusCode(), watched.response().body());
    assertEquals(0, calls(proxy().upstream(), PRIMARY));
    JsonObject request = assertAttempts(Ledger.rows(proxy(), session), 200);
    assertEquals("big", request.getString("model"));
    assertEquals("context_length", watched.fallbacks().get(0).getString("reason"));
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
    assertAttempts(Ledger.rows(proxy(), session), 400);
  }

  private static TestProxy proxy() {
    return SHARED.get();
  }
}
