package io.kimiproxy.api.routing;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static io.kimiproxy.testing.Stubs.calls;
import static io.kimiproxy.testing.Stubs.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.Ledger;
import io.kimiproxy.testing.OpenAiErrors;
import io.kimiproxy.testing.Poll;
import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A smart alias sends each request to the candidate with the best score (docs/routing.md), passing
 * over candidates without a key or too small for the prompt, and records each decision. The
 * latency weight is 0 here so that calls made by other tests cannot tip a decision; the latency
 * part itself is covered by SmartRouterTest.
 */
class SmartRoutingTest {
  @RegisterExtension
  static final SharedProxy SHARED = SharedProxy.with("""
        [providers.alpha]
        base_url = "{{UPSTREAM}}/alpha/v1"

        [providers.beta]
        base_url = "{{UPSTREAM}}/beta/v1"

        [providers.unset]
        base_url = "{{UPSTREAM}}/unset/v1"
        api_key = "${UNSET_KEY}"

        [models.small]
        provider = "alpha"
        model = "small-model"
        max_context = 8000
        input_price = 1.0
        output_price = 1.0

        [models.large]
        provider = "beta"
        model = "large-model"
        max_context = 128000
        input_price = 1.0
        output_price = 1.0

        [models.dear]
        provider = "alpha"
        model = "dear-model"
        max_context = 128000
        input_price = 10.0
        output_price = 30.0

        [models.cheap]
        provider = "beta"
        model = "cheap-model"
        max_context = 120000
        input_price = 1.0
        output_price = 3.0

        [models.tiny]
        provider = "alpha"
        model = "tiny-model"
        max_context = 1000
        input_price = 0.1
        output_price = 0.1

        [models.nokey]
        provider = "unset"
        model = "free-model"
        max_context = 128000

        [models.roomy]
        candidates = ["small", "large"]

        [models.thrifty]
        candidates = ["dear", "cheap"]

        [models.fitting]
        candidates = ["tiny", "large"]

        [models.keyed]
        candidates = ["nokey", "dear"]

        [models.cramped]
        candidates = ["tiny", "small"]

        [routing]
        latency_weight = 0
        """);

  /** WireMock is reset before each test: both providers answer every chat. */
  @BeforeEach
  void answer() {
    proxy().upstream().stubFor(post(urlMatching("/(alpha|beta)/v1/chat/completions")).willReturn(ok()));
  }

  private static HttpResponse<String> chat(String model, String content) {
    String body = new JsonObject().put("model", model).put("max_tokens", 500).put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", content))).encode();
    return proxy().send(proxy().request("/v1/chat/completions").header("Content-Type", "application/json")
        .header("X-Session-Id", TestProxy.newSession()).POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  /** A prompt of about 2,000 tokens: more than "tiny" holds. */
  private static String longPrompt() {
    return "lorem ipsum dolor sit amet ".repeat(400);
  }

  /** The stored decision of a chat response (written off the request path, so waited for). */
  private static JsonObject decisionOf(HttpResponse<String> chat, String alias) {
    String id = chat.headers().firstValue("X-Request-Id").orElseThrow();
    HttpResponse<String> listed = Poll.until(Duration.ofSeconds(5),
        () -> proxy().get("/api/routing/decisions?alias=" + alias + "&limit=1000"),
        r -> r.statusCode() != 200 || r.body().contains(id), "the decision of " + id);
    assertEquals(200, listed.statusCode(), listed.body());
    return new JsonObject(listed.body()).getJsonArray("data").stream().map(JsonObject.class::cast)
        .filter(d -> id.equals(d.getString("request_id"))).findFirst().orElseThrow();
  }

  private static Map<String, JsonObject> byAlias(JsonObject decision) {
    return decision.getJsonArray("candidates").stream().map(JsonObject.class::cast)
        .collect(Collectors.toMap(c -> c.getString("alias"), c -> c));
  }

  @Test
  void with_equal_prices_the_larger_headroom_wins_and_the_decision_and_ledger_show_it() {
    HttpResponse<String> response = chat("roomy", "hello");
    assertEquals(200, response.statusCode(), response.body());
    JsonObject row = Ledger.rowOf(proxy(), response);
    assertEquals("large", row.getString("model"));
    assertEquals("beta", row.getString("provider"));

    JsonObject decision = decisionOf(response, "roomy");
    assertEquals("roomy", decision.getString("alias"));
    assertEquals("large", decision.getString("chosen"));
    Map<String, JsonObject> candidates = byAlias(decision);
    JsonObject small = candidates.get("small");
    JsonObject large = candidates.get("large");
    assertEquals("beta", large.getString("provider"));
    assertEquals(1.0, small.getDouble("price"), 1e-9, "the same cost: the same max_tokens and prices");
    assertEquals(1.0, large.getDouble("price"), 1e-9);
    assertTrue(large.getDouble("headroom") > small.getDouble("headroom"), decision.encode());
    assertEquals(large.getDouble("headroom") - large.getDouble("price"), large.getDouble("score"), 1e-9,
        "score = headroom - price with latency_weight 0");
  }

  @Test
  void the_cheaper_candidate_wins_when_headroom_is_similar() {
    HttpResponse<String> response = chat("thrifty", "hello");
    assertEquals(200, response.statusCode(), response.body());
    assertEquals("cheap", Ledger.rowOf(proxy(), response).getString("model"));
    Map<String, JsonObject> candidates = byAlias(decisionOf(response, "thrifty"));
    assertEquals(1.0, candidates.get("dear").getDouble("price"), 1e-9);
    assertTrue(candidates.get("cheap").getDouble("price") < 0.2, candidates.toString());
  }

  @Test
  void a_prompt_too_large_for_the_cheap_small_candidate_goes_to_the_larger_one() {
    HttpResponse<String> response = chat("fitting", longPrompt());
    assertEquals(200, response.statusCode(), response.body());
    assertEquals("large", Ledger.rowOf(proxy(), response).getString("model"));
    assertEquals("too_small", byAlias(decisionOf(response, "fitting")).get("tiny").getString("skipped"));
    assertEquals(0, calls(proxy().upstream(), "/alpha/v1/chat/completions"));
  }

  @Test
  void the_same_smart_alias_picks_the_cheap_small_candidate_for_a_short_prompt() {
    HttpResponse<String> response = chat("fitting", "hello");
    assertEquals(200, response.statusCode(), response.body());
    assertEquals("tiny", Ledger.rowOf(proxy(), response).getString("model"));
  }

  @Test
  void a_candidate_whose_provider_has_no_key_is_skipped() {
    HttpResponse<String> response = chat("keyed", "hello");
    assertEquals(200, response.statusCode(), response.body());
    assertEquals("dear", Ledger.rowOf(proxy(), response).getString("model"));
    assertEquals("no_key", byAlias(decisionOf(response, "keyed")).get("nokey").getString("skipped"));
    assertEquals(0, calls(proxy().upstream(), "/unset/v1/chat/completions"));
  }

  @Test
  void a_prompt_no_candidate_holds_is_refused_as_openai_refuses_it() {
    HttpResponse<String> response = chat("cramped", "lorem ipsum ".repeat(8000));
    JsonObject error = OpenAiErrors.assertError(response, 400, "invalid_request_error");
    assertEquals("context_length_exceeded", error.getString("code"));
    assertTrue(error.getString("message").contains("tiny (too_small)"), error.encode());
  }

  @Test
  void v1_models_lists_a_smart_alias_with_its_candidates_and_largest_window() {
    JsonObject roomy = new JsonObject(proxy().get("/v1/models").body()).getJsonArray("data").stream()
        .map(JsonObject.class::cast).filter(m -> "roomy".equals(m.getString("id"))).findFirst().orElseThrow();
    assertEquals(new JsonArray().add("small").add("large"), roomy.getJsonArray("candidates"));
    assertEquals(128000, roomy.getLong("context_length"));
    assertEquals(true, roomy.getBoolean("configured"));
  }

  @Test
  void a_bad_limit_is_a_400_in_openai_shape() {
    JsonObject error = OpenAiErrors.assertError(proxy().get("/api/routing/decisions?limit=0"), 400,
        "invalid_request_error");
    assertEquals("limit", error.getString("param"));
  }

  private static TestProxy proxy() {
    return SHARED.get();
  }
}
