package io.kimiproxy.api.resilience;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.kimiproxy.testing.LedgerAssertions.assertAttempts;
import static io.kimiproxy.testing.Stubs.calls;
import static io.kimiproxy.testing.Stubs.json;
import static io.kimiproxy.testing.Stubs.ok;
import static io.kimiproxy.testing.Stubs.sequence;
import static io.kimiproxy.testing.Stubs.sse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import io.kimiproxy.testing.Ledger;
import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.StrictStreamChecker;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Connect errors, empty replies, broken bodies, 5xx and 529 are tried again, with backoff, as long
 * as nothing reached the client; request errors never are. Every attempt is a ledger row.
 */
class RetryOnTransientFailuresTest {
  private static final String PATH = "/flaky/v1/chat/completions";
  private static final String STREAM = "openai/chat-stream-text-include-usage.sse";
  @RegisterExtension
  static final SharedProxy SHARED = SharedProxy.with("""
        [providers.flaky]
        base_url = "{{UPSTREAM}}/flaky/v1"
        api_key = "${TEST_KEY}"
        max_retries = 2
        retry_base_ms = 10
        breaker_failures = 1000

        [models."flaky/model"]
        provider = "flaky"
        model = "m"
        """);

  private static StrictStreamChecker.Result stream(HttpResponse<String> response) {
    assertEquals(200, response.statusCode(), response.body());
    return StrictStreamChecker.check(StrictStreamChecker.dataEvents(response.body()), false);
  }

  @Test
  void should_retry_a_connection_reset_by_the_provider() {
    sequence(proxy().upstream(), PATH, aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), ok());
    String session = TestProxy.newSession();
    HttpResponse<String> response = proxy().chat("flaky/model", false, session);
    assertEquals(200, response.statusCode(), response.body());
    assertEquals(2, calls(proxy().upstream(), PATH));
    List<JsonObject> rows = Ledger.rows(proxy(), session);
    assertAttempts(rows, 502, 200);
    assertEquals("upstream_unreachable", rows.get(0).getString("error_code"));
  }

  @Test
  void should_retry_an_empty_reply_to_a_stream() {
    sequence(proxy().upstream(), PATH, aResponse().withFault(Fault.EMPTY_RESPONSE), sse(STREAM));
    String session = TestProxy.newSession();
    StrictStreamChecker.Result result = stream(proxy().chat("flaky/model", true, session));
    assertTrue(result.content().length() > 10, result.content());
    assertAttempts(Ledger.rows(proxy(), session), 502, 200);
  }

  @Test
  void should_retry_a_malformed_chunked_body_before_any_chunk_reached_the_client() {
    sequence(proxy().upstream(), PATH, sse(STREAM).withFault(Fault.MALFORMED_RESPONSE_CHUNK), sse(STREAM));
    String session = TestProxy.newSession();
    assertNull(stream(proxy().chat("flaky/model", true, session)).error());
    assertAttempts(Ledger.rows(proxy(), session), 502, 200);
  }

  @Test
  void should_retry_a_first_event_that_is_not_json() {
    ResponseDefinitionBuilder garbage = aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
        .withBody("data: {\"choices\":[{\"delta\":{\"content\":\"Hel\n\n");
    sequence(proxy().upstream(), PATH, garbage, sse(STREAM));
    String session = TestProxy.newSession();
    assertNull(stream(proxy().chat("flaky/model", true, session)).error());
    List<JsonObject> rows = Ledger.rows(proxy(), session);
    assertAttempts(rows, 502, 200);
    assertEquals("bad_upstream_response", rows.get(0).getString("error_code"));
  }

  @ParameterizedTest(name = "{0} then success")
  @CsvSource({
      "500, openai/error-500-server-error.json",
      "502, openai/error-500-server-error.json",
      "503, gemini/error-503-unavailable-overloaded.json",
      "504, openai/error-500-server-error.json",
      "529, anthropic/error-529-overloaded.json"})
  void should_retry_server_errors_and_overload(int status, String body) {
    sequence(proxy().upstream(), PATH, json(status, body), sse(STREAM));
    String session = TestProxy.newSession();
    assertNull(stream(proxy().chat("flaky/model", true, session)).error());
    assertAttempts(Ledger.rows(proxy(), session), status, 200);
  }

  @Test
  void should_answer_with_the_last_error_when_retries_are_exhausted() {
    sequence(proxy().upstream(), PATH, json(503, "gemini/error-503-unavailable-overloaded.json"));
    String session = TestProxy.newSession();
    HttpResponse<String> response = proxy().chat("flaky/model", false, session);
    assertEquals(503, response.statusCode());
    assertTrue(new JsonObject(response.body()).getJsonObject("error").getString("message").contains("overloaded"), response.body());
    assertEquals(3, calls(proxy().upstream(), PATH), "the first call and max_retries = 2 more");
    assertAttempts(Ledger.rows(proxy(), session), 503, 503, 503);
  }

  @ParameterizedTest(name = "{0} is not retried")
  @CsvSource({
      "400, openai/error-400-unsupported-parameter.json",
      "401, openai/error-401-invalid-api-key.json",
      "403, gemini/error-403-permission-denied-no-key.json",
      "404, openai/error-404-model-not-found.json",
      "422, mistral/error-422-extra-forbidden-param.json"})
  void should_never_retry_request_errors(int status, String body) {
    sequence(proxy().upstream(), PATH, json(status, body), ok());
    String session = TestProxy.newSession();
    HttpResponse<String> response = proxy().chat("flaky/model", false, session);
    assertEquals(status, response.statusCode(), response.body());
    assertEquals(1, calls(proxy().upstream(), PATH));
    assertAttempts(Ledger.rows(proxy(), session), status);
  }

  @Test
  void should_not_retry_once_the_client_has_received_a_chunk() {
    String first = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
        + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hello\"},\"finish_reason\":null}]}\n\n";
    sequence(proxy().upstream(), PATH, aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
        .withBody(first + "data: {broken\n\n"), sse(STREAM));
    String session = TestProxy.newSession();
    StrictStreamChecker.Result result = stream(proxy().chat("flaky/model", true, session));
    assertEquals("Hello", result.content());
    assertEquals("bad_upstream_response", result.error().getString("code"));
    assertEquals(1, calls(proxy().upstream(), PATH));
    assertAttempts(Ledger.rows(proxy(), session), 502);
  }

  private static TestProxy proxy() {
    return SHARED.get();
  }
}
