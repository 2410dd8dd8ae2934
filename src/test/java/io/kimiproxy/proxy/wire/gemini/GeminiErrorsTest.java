package io.kimiproxy.proxy.wire.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.testing.Fixtures;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class GeminiErrorsTest {

  @ParameterizedTest
  @CsvSource({
      "error-400-api-key-invalid.json, 400, invalid_request_error, INVALID_ARGUMENT, API key not valid",
      "error-403-permission-denied-no-key.json, 403, permission_error, PERMISSION_DENIED, Method doesn't allow unregistered callers",
      "error-404-model-not-found-streaming-endpoint.json, 404, not_found_error, NOT_FOUND, models/this-model-does-not-exist-12345 is not found",
      "error-503-unavailable-overloaded.json, 503, overloaded_error, UNAVAILABLE, The model is overloaded",
  })
  void should_map_every_recorded_error_envelope(String fixture, int status, String type, String code, String message) {
    byte[] body = Fixtures.bytes("gemini/" + fixture);
    for (Buffer variant : new Buffer[] {Buffer.buffer(body), Buffer.buffer("[").appendBytes(body).appendString("\n]")}) {
      ProxyError error = GeminiErrors.toError(status, variant, null);
      assertEquals(status, error.status());
      assertEquals(type, error.type());
      assertEquals(code, error.code());
      assertTrue(error.getMessage().startsWith(message), error.getMessage());
    }
  }

  @Test
  void should_offer_the_retry_delay_gemini_asks_for_when_no_header_says_it() {
    String quota = """
        {"error":{"code":429,"message":"You exceeded your current quota.","status":"RESOURCE_EXHAUSTED",
          "details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[]},
                     {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"32.5s"}]}}""";
    ProxyError error = GeminiErrors.toError(429, Buffer.buffer(quota), null);
    assertEquals("rate_limit_error", error.type());
    assertEquals("RESOURCE_EXHAUSTED", error.code());
    assertEquals("33", error.retryAfter());
    assertTrue(error.retriable());
    assertEquals("5", GeminiErrors.toError(429, Buffer.buffer(quota), "5").retryAfter(), "the header wins");
  }

  @Test
  void should_keep_a_body_that_is_not_json_as_the_message() {
    ProxyError error = GeminiErrors.toError(502, Buffer.buffer("<html>Bad Gateway</html>"), null);
    assertEquals("server_error", error.type());
    assertEquals("<html>Bad Gateway</html>", error.getMessage());
    assertNull(error.retryAfter());
  }
}
