package io.kimiproxy.proxy.wire.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.testing.Fixtures;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnthropicErrorsTest {

  @ParameterizedTest
  @CsvSource({
      "error-401-authentication-error.json, 401, authentication_error, invalid x-api-key",
      "error-404-not-found-model.json,      404, not_found_error,      model: this-model-does-not-exist-12345",
      "error-429-rate-limit.json,           429, rate_limit_error,     This request would exceed the rate limit",
      "error-529-overloaded.json,           529, overloaded_error,     Overloaded"})
  void should_keep_status_and_message_of_each_recorded_error(String fixture, int status, String type, String message) {
    ProxyError error = AnthropicErrors.fromResponse(status, Buffer.buffer(Fixtures.bytes("anthropic/" + fixture)), "7");
    assertEquals(status, error.status());
    assertEquals(type, error.type());
    assertEquals("7", error.retryAfter());
    assertTrue(error.getMessage().startsWith(message), error.getMessage());
  }

  @ParameterizedTest
  @CsvSource({
      "invalid_request_error, 400, invalid_request_error,",
      "authentication_error,  401, authentication_error,",
      "billing_error,         402, insufficient_quota,    billing_error",
      "permission_error,      403, permission_error,",
      "not_found_error,       404, not_found_error,",
      "request_too_large,     413, invalid_request_error, request_too_large",
      "rate_limit_error,      429, rate_limit_error,",
      "api_error,             500, server_error,          api_error",
      "timeout_error,         504, timeout_error,",
      "overloaded_error,      529, overloaded_error,",
      "some_new_error,        500, server_error,          some_new_error"})
  void should_give_a_stream_error_event_the_status_its_type_comes_with(String type, int status, String openAiType, String code) {
    ProxyError error = AnthropicErrors.fromStreamEvent(new JsonObject()
        .put("type", "error").put("error", new JsonObject().put("type", type).put("message", "boom")));
    assertEquals(status, error.status());
    assertEquals(openAiType, error.type());
    assertEquals(code, error.code());
    assertEquals("boom", error.getMessage());
  }

  @Test
  void should_rename_api_error_to_server_error_and_keep_anthropics_name_as_the_code() {
    ProxyError error = AnthropicErrors.fromResponse(500,
        Buffer.buffer("{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Internal server error\"}}"), null);
    assertEquals(500, error.status());
    assertEquals("server_error", error.type());
    assertEquals("api_error", error.code());
    assertEquals("Internal server error", error.getMessage());
  }

  @Test
  void should_read_a_body_that_is_not_anthropics_envelope_like_any_other() {
    ProxyError error = AnthropicErrors.fromResponse(502, Buffer.buffer("<html>Bad gateway</html>"), null);
    assertEquals(502, error.status());
    assertEquals("server_error", error.type());
    assertNull(error.code());
    assertEquals("<html>Bad gateway</html>", error.getMessage());
  }
}
