package io.kimiproxy.api.cache;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.kimiproxy.testing.Fixtures;
import io.kimiproxy.testing.Poll;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

/** Chat requests and cache-manager calls for the response cache's HTTP tests. */
final class CacheRequests {
  /** {@link TestProxy#ONE_PROVIDER} with the cache on, in the proxy's temporary folder. */
  static final String CACHE_ON = TestProxy.ONE_PROVIDER + "\n[cache]\nenabled = true\n";
  static final String STATUS = "X-Kimi-Cache-Status";

  private CacheRequests() {}

  /** A question no other test asks, so each test owns its cache entries. */
  static String question() {
    return "What is " + UUID.randomUUID() + "?";
  }

  /** A chat body for "test/model" with one user message and the given temperature (null: none). */
  static JsonObject body(String question, boolean stream, Double temperature) {
    JsonObject body = new JsonObject().put("model", "test/model").put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", question)));
    if (temperature != null) body.put("temperature", temperature);
    return body;
  }

  /** A streamed body that asks (or not) for the usage chunk. */
  static JsonObject streamed(String question, boolean includeUsage) {
    JsonObject body = body(question, true, 0.0);
    if (includeUsage) body.put("stream_options", new JsonObject().put("include_usage", true));
    return body;
  }

  /**
   * POSTs a chat body.
   *
   * @param headers name, value, name, value... (X-Kimi-Cache, User-Agent)
   */
  static HttpResponse<String> chat(TestProxy proxy, JsonObject body, String... headers) {
    HttpRequest.Builder request = proxy.request("/v1/chat/completions").header("Content-Type", "application/json");
    for (int i = 0; i + 1 < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
    return proxy.send(request.POST(HttpRequest.BodyPublishers.ofString(body.encode())).build());
  }

  static String status(HttpResponse<?> response) {
    return response.headers().firstValue(STATUS).orElse(null);
  }

  /** GET /api/cache/stats. */
  static JsonObject stats(TestProxy proxy) {
    HttpResponse<String> response = proxy.get("/api/cache/stats");
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  /** The ledger row of a chat response; it is written just after the answer is sent, so this waits for it. */
  static JsonObject ledgerRow(TestProxy proxy, HttpResponse<?> chat) {
    String id = chat.headers().firstValue("X-Request-Id").orElseThrow();
    String session = chat.headers().firstValue("X-Kimi-Proxy-Session").orElseThrow();
    HttpResponse<String> found = Poll.until(Duration.ofSeconds(5), () -> proxy.get("/api/sessions/" + session),
        r -> r.statusCode() == 200 && r.body().contains(id), "ledger row " + id);
    return new JsonObject(found.body()).getJsonArray("requests").stream().map(JsonObject.class::cast)
        .filter(row -> id.equals(row.getString("id"))).findFirst().orElseThrow();
  }

  /**
   * Waits until the cache index holds {@code count} entries: an answer is kept just after the
   * client has it, so the next request may arrive before it is stored.
   */
  static JsonObject awaitEntries(TestProxy proxy, long count) {
    return Poll.until(Duration.ofSeconds(5), () -> stats(proxy), s -> s.getLong("entries") == count,
        count + " cache entries");
  }

  /** Waits until an entry whose preview is {@code preview} is in the cache, and returns it. */
  static JsonObject awaitEntry(TestProxy proxy, String preview) {
    HttpResponse<String> list = Poll.until(Duration.ofSeconds(5), () -> proxy.get("/api/cache/entries"),
        r -> r.statusCode() == 200 && entry(r.body(), preview) != null, "a cache entry with preview " + preview);
    return entry(list.body(), preview);
  }

  private static JsonObject entry(String list, String preview) {
    return new JsonObject(list).getJsonArray("data").stream().map(JsonObject.class::cast)
        .filter(e -> preview.equals(e.getString("preview"))).findFirst().orElse(null);
  }

  /**
   * The provider's whole answer: the recorded tool-call completion, its message saying {@code text}
   * (the entry's preview, by which a test finds its own entry).
   */
  static ResponseDefinitionBuilder answer(String text) {
    JsonObject answer = new JsonObject(Fixtures.text("openai/chat-nonstream-parallel-tool-calls.json"));
    answer.getJsonArray("choices").getJsonObject(0).getJsonObject("message").put("content", text);
    return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(answer.encode());
  }
}
