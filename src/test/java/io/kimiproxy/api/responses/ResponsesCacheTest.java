package io.kimiproxy.api.responses;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.kimiproxy.testing.ResponsesClient.ask;
import static io.kimiproxy.testing.Stubs.json;
import static io.kimiproxy.testing.Stubs.sse;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kimiproxy.testing.Poll;
import io.kimiproxy.testing.ResponsesClient;
import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.StrictResponsesStreamChecker;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The response cache for Responses clients: an answer kept from a translated stream or from a
 * Responses provider's own events is replayed, on a hit, as a strict Responses stream (or a response
 * object) saying the same, without calling the provider.
 */
class ResponsesCacheTest {
  @RegisterExtension
  static final SharedProxy SHARED = SharedProxy.with(TestProxy.ONE_PROVIDER + """

      [providers.openai]
      base_url = "{{UPSTREAM}}/native/v1"
      api_key = "${TEST_KEY}"
      responses = true

      [models."openai/m"]
      provider = "openai"
      model = "gpt-test"

      [cache]
      enabled = true
      """);

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "test/model, /v1/chat/completions, openai/chat-stream-parallel-tool-calls-include-usage.sse",
      "openai/m, /native/v1/responses, openai-responses/stream-reasoning-summary-then-function-call.sse"})
  void should_replay_a_kept_stream_as_the_same_strict_responses_stream(String model, String path, String fixture,
                                                                       TestProxy proxy) {
    proxy.upstream().stubFor(post(urlEqualTo(path)).willReturn(sse(fixture)));
    JsonObject body = ask(model, true, "Weather in Paris? " + UUID.randomUUID()).put("temperature", 0);
    long entries = entries(proxy);

    HttpResponse<String> miss = ResponsesClient.post(proxy, body);
    Poll.until(Duration.ofSeconds(5), () -> entries(proxy), n -> n == entries + 1, "the answer kept in the cache");
    HttpResponse<String> hit = ResponsesClient.post(proxy, body);

    assertEquals("hit", hit.headers().firstValue("X-Kimi-Cache-Status").orElse(null));
    assertEquals(1, proxy.upstream().findAll(postRequestedFor(urlEqualTo(path))).size());
    StrictResponsesStreamChecker.Result first = StrictResponsesStreamChecker.check(miss.body());
    StrictResponsesStreamChecker.Result again = StrictResponsesStreamChecker.check(hit.body());
    assertEquals(first.text(), again.text());
    assertEquals(first.reasoning(), again.reasoning());
    assertEquals(first.calls(), again.calls());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "test/model, /v1/chat/completions, openai/chat-nonstream-parallel-tool-calls.json",
      "openai/m, /native/v1/responses, openai-responses/nonstream-two-function-calls.json"})
  void should_replay_a_kept_whole_answer_as_a_response_object(String model, String path, String fixture, TestProxy proxy) {
    proxy.upstream().stubFor(post(urlEqualTo(path)).willReturn(json(200, fixture)));
    JsonObject body = ask(model, false, "Weather in Tokyo? " + UUID.randomUUID()).put("temperature", 0);
    long entries = entries(proxy);

    JsonObject first = new JsonObject(ResponsesClient.post(proxy, body).body());
    Poll.until(Duration.ofSeconds(5), () -> entries(proxy), n -> n == entries + 1, "the answer kept in the cache");
    HttpResponse<String> hit = ResponsesClient.post(proxy, body);

    assertEquals("hit", hit.headers().firstValue("X-Kimi-Cache-Status").orElse(null));
    JsonObject again = new JsonObject(hit.body());
    assertEquals("response", again.getString("object"));
    assertEquals(calls(first), calls(again));
  }

  private static String calls(JsonObject response) {
    StringBuilder out = new StringBuilder();
    response.getJsonArray("output").forEach(o -> {
      JsonObject item = (JsonObject) o;
      if ("function_call".equals(item.getString("type"))) {
        out.append(item.getString("call_id")).append(' ').append(item.getString("name")).append(' ')
            .append(new JsonObject(item.getString("arguments")).encode()).append('\n');
      }
    });
    return out.toString();
  }

  private static long entries(TestProxy proxy) {
    return new JsonObject(proxy.get("/api/cache/stats").body()).getLong("entries");
  }
}
