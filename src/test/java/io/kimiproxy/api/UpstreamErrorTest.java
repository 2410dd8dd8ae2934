package io.kimiproxy.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.kimiproxy.testing.OpenAiErrors.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.http.Fault;
import io.kimiproxy.testing.Ledger;
import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.Stubs;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How a provider's failures reach the client, before any byte of an answer was sent, once retries
 * are spent: here none are configured (retries, the breaker and fallbacks: api/resilience).
 */
class UpstreamErrorTest {
  @RegisterExtension
  static final SharedProxy PROXY = SharedProxy.with("""
      [providers.test]
      base_url = "{{UPSTREAM}}/v1"
      api_key = "${TEST_KEY}"
      max_retries = 0
      breaker_failures = 1000

      [providers.slow]
      base_url = "{{UPSTREAM}}/slow/v1"
      api_key = "${TEST_KEY}"
      first_byte_timeout_s = 1
      max_retries = 0

      [providers.down]
      base_url = "http://127.0.0.1:%d/v1"
      api_key = "${TEST_KEY}"
      max_retries = 0
      """.formatted(closedPort()));

  /** Real recorded error bodies, and a phrase of the provider's message the client must see. */
  static Stream<Arguments> upstreamErrors() {
    return Stream.of(
        Arguments.of(400, "openai/error-400-unsupported-parameter.json", "Unsupported parameter: 'stop' is not supported with this model."),
        Arguments.of(400, "openai/error-400-context-length-exceeded.json", "maximum context length"),
        Arguments.of(401, "openai/error-401-invalid-api-key.json", "Incorrect API key provided"),
        Arguments.of(404, "openai/error-404-model-not-found.json", "The model `this-model-does-not-exist-12345` does not exist"),
        Arguments.of(422, "mistral/error-422-extra-forbidden-param.json", "Extra inputs are not permitted"),
        Arguments.of(429, "openai/error-429-rate-limit-exceeded-tokens.json", "Rate limit reached for gpt-4"),
        Arguments.of(429, "openrouter/error-429-rate-limit-free-model.json", "limited to 1 requests per minute"));
  }

  @ParameterizedTest
  @MethodSource("upstreamErrors")
  void should_relay_upstream_4xx_with_its_status_and_message(int status, String fixture, String phrase, TestProxy proxy) {
    proxy.upstream().stubFor(Stubs.chat().willReturn(Stubs.json(status, fixture)));
    HttpResponse<String> response = proxy.post("/v1/chat/completions", TestProxy.chat(false));
    JsonObject error = assertError(response, status, new JsonObject(response.body()).getJsonObject("error").getString("type"));
    assertTrue(error.getString("message").contains(phrase), error.getString("message"));
    JsonObject row = Ledger.rowOf(proxy, response);
    assertEquals(status, row.getInteger("status"));
    assertEquals(error.getString("type"), row.getString("error_type"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void should_keep_retry_after_and_the_openai_type_of_a_429(boolean stream, TestProxy proxy) {
    proxy.upstream().stubFor(Stubs.chat().willReturn(Stubs.json(429, "openai/error-429-rate-limit-exceeded-tokens.json")
        .withHeader("Retry-After", "27")));
    HttpResponse<String> response = proxy.post("/v1/chat/completions", TestProxy.chat(stream));
    JsonObject error = assertError(response, 429, "tokens");
    assertEquals("rate_limit_exceeded", error.getString("code"));
    assertEquals("27", response.headers().firstValue("Retry-After").orElse(null));
  }

  @Test
  void should_fill_in_the_type_when_the_provider_gives_none(TestProxy proxy) {
    proxy.upstream().stubFor(Stubs.chat().willReturn(aResponse().withStatus(429).withBody("slow down")));
    JsonObject error = assertError(proxy.post("/v1/chat/completions", TestProxy.chat(false)), 429, "rate_limit_error");
    assertEquals("slow down", error.getString("message"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void should_answer_502_when_the_provider_is_unreachable(boolean stream, TestProxy proxy) {
    HttpResponse<String> response = proxy.post("/v1/chat/completions", chatFor("down/any-model", stream));
    JsonObject error = assertError(response, 502, "upstream_error");
    assertEquals("upstream_unreachable", error.getString("code"));
    assertTrue(error.getString("message").contains("'down'"), error.getString("message"));
    assertEquals(502, Ledger.rowOf(proxy, response).getInteger("status"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void should_answer_502_when_the_provider_sends_garbage_instead_of_http(boolean stream, TestProxy proxy) {
    proxy.upstream().stubFor(Stubs.chat().willReturn(aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE)));
    HttpResponse<String> response = proxy.post("/v1/chat/completions", TestProxy.chat(stream));
    assertEquals("upstream_unreachable", assertError(response, 502, "upstream_error").getString("code"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void should_answer_504_when_the_first_byte_is_late(boolean stream, TestProxy proxy) {
    proxy.upstream().stubFor(post(urlEqualTo("/slow/v1/chat/completions")).willReturn(
        Stubs.json(200, "openai/chat-nonstream-parallel-tool-calls.json").withFixedDelay(3_000)));
    HttpResponse<String> response = proxy.post("/v1/chat/completions", chatFor("slow/any-model", stream));
    JsonObject error = assertError(response, 504, "upstream_error");
    assertEquals("upstream_timeout", error.getString("code"));
    JsonObject row = Ledger.rowOf(proxy, response);
    assertEquals(504, row.getInteger("status"));
    assertEquals("upstream_timeout", row.getString("error_code"));
  }

  private static String chatFor(String model, boolean stream) {
    return TestProxy.chat(stream).replace("\"test/model\"", "\"" + model + "\"");
  }

  /** A port nothing listens on: bound once to learn a free number, then released. */
  private static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
