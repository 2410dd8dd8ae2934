package io.kimiproxy.api.resilience;

import static io.kimiproxy.testing.LedgerAssertions.assertAttempts;
import static io.kimiproxy.testing.Stubs.calls;
import static io.kimiproxy.testing.Stubs.json;
import static io.kimiproxy.testing.Stubs.ok;
import static io.kimiproxy.testing.Stubs.sequence;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kimiproxy.core.events.EventNames;
import io.kimiproxy.testing.Ledger;
import io.kimiproxy.testing.LiveFeed;
import io.kimiproxy.testing.SharedProxy;
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
 * An alias's fallbacks answer, in order, when its provider's retries are spent; a fallback without
 * a key, or with a window too small for the prompt, is passed over; a request error is the
 * client's and goes back to it. Each switch is a model_fallback event, and each failed attempt a
 * ledger row. (A prompt too large for the alias itself is the context steps' to handle, before
 * routing: see docs/context.md.)
 */
class FallbackChainTest {
  private static final String PRIMARY = "/primary/v1/chat/completions";
  private static final String CRAMPED = "/cramped/v1/chat/completions";
  private static final String BACKUP = "/backup/v1/chat/completions";
  @RegisterExtension
  static final SharedProxy SHARED = SharedProxy.with("""
        [providers.primary]
        base_url = "{{UPSTREAM}}/primary/v1"
        max_retries = 1
        retry_base_ms = 10
        breaker_failures = 1000

        [providers.cramped]
        base_url = "{{UPSTREAM}}/cramped/v1"

        [providers.backup]
        base_url = "{{UPSTREAM}}/backup/v1"

        [providers.keyless-but-unset]
        base_url = "{{UPSTREAM}}/never/v1"
        api_key = "${UNSET_KEY}"

        [models.main]
        provider = "primary"
        model = "main-model"
        max_context = 100000
        fallbacks = ["unset", "small", "big"]

        [models.small]
        provider = "cramped"
        model = "small-model"
        max_context = 1000

        [models.big]
        provider = "backup"
        model = "big-model"
        max_context = 100000

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

  /** A prompt of about 2,000 tokens: too big for "small" (1,000), fine for "main" and "big". */
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
    sequence(proxy().upstream(), CRAMPED, ok());
    String session = TestProxy.newSession();
    Watched watched = watched(session, () -> proxy().chat("main", false, session));
    assertEquals(200, watched.response().statusCode(), watched.response().body());
    assertEquals(2, calls(proxy().upstream(), PRIMARY), "the first call and max_retries = 1 more");
    assertEquals(1, calls(proxy().upstream(), CRAMPED));
    List<JsonObject> rows = Ledger.rows(proxy(), session);
    JsonObject request = assertAttempts(rows, 503, 503, 200);
    assertEquals("primary", rows.get(0).getString("provider"));
    assertEquals("main", rows.get(1).getString("model"));
    assertEquals("cramped", request.getString("provider"));
    assertEquals("small", request.getString("model"));
    assertEquals(List.of(new JsonObject().put("session", session).put("from", "main").put("to", "small")
        .put("reason", "retries_exhausted")), watched.fallbacks(), "the fallback without a key is passed over");
  }

  @Test
  void should_pass_over_a_fallback_whose_window_is_too_small_for_the_prompt() {
    sequence(proxy().upstream(), PRIMARY, json(503, "gemini/error-503-unavailable-overloaded.json"));
    sequence(proxy().upstream(), CRAMPED, ok());
    sequence(proxy().upstream(), BACKUP, ok());
    String session = TestProxy.newSession();
    Watched watched = watched(session, () -> longChat("main", session));
    assertEquals(200, watched.response().statusCode(), watched.response().body());
    assertEquals(0, calls(proxy().upstream(), CRAMPED));
    assertEquals(1, calls(proxy().upstream(), BACKUP));
    assertEquals("big", assertAttempts(Ledger.rows(proxy(), session), 503, 503, 200).getString("model"));
    assertEquals("big", watched.fallbacks().get(0).getString("to"));
  }

  @Test
  void should_not_fall_back_on_a_request_error() {
    sequence(proxy().upstream(), PRIMARY, json(400, "openai/error-400-unsupported-parameter.json"));
    sequence(proxy().upstream(), CRAMPED, ok());
    String session = TestProxy.newSession();
    Watched watched = watched(session, () -> proxy().chat("main", false, session));
    assertEquals(400, watched.response().statusCode());
    assertEquals(0, calls(proxy().upstream(), CRAMPED));
    assertEquals(List.of(), watched.fallbacks());
    assertAttempts(Ledger.rows(proxy(), session), 400);
  }

  private static TestProxy proxy() {
    return SHARED.get();
  }
}
