package io.kimiproxy.api.security;

import static io.kimiproxy.testing.OpenAiErrors.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.RawHttp;
import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.Stubs;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11, item 6: what the HTTP decoder refuses (too long a URL, too large a head) comes in the
 * API's error shape like every other error; HEAD is answered wherever GET is; {@code n} and
 * {@code max_tokens} are checked integers; a parser's internals never reach an error message.
 */
class MalformedRequestsTest {
  @RegisterExtension
  static final SharedProxy PROXY = SharedProxy.standard();

  private static JsonObject refusal(String answer, int status) {
    assertEquals(status, RawHttp.status(answer), answer);
    assertTrue(RawHttp.header(answer, "Content-Type").startsWith("application/json"), answer);
    assertEquals("DENY", RawHttp.header(answer, "X-Frame-Options"), answer);
    JsonObject error = new JsonObject(RawHttp.body(answer)).getJsonObject("error");
    assertEquals("invalid_request_error", error.getString("type"));
    return error;
  }

  @Test
  void should_answer_an_overlong_url_with_414_in_json(TestProxy proxy) {
    String answer = RawHttp.get(proxy.server().port(), "/v1/models?q=" + "a".repeat(10_000), "127.0.0.1");
    assertEquals("uri_too_long", refusal(answer, 414).getString("code"));
  }

  @Test
  void should_answer_oversize_headers_with_431_in_json(TestProxy proxy) {
    String answer = RawHttp.exchange(proxy.server().port(), "GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: "
        + "a".repeat(100_000) + "\r\nConnection: close\r\n\r\n");
    assertEquals("headers_too_large", refusal(answer, 431).getString("code"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/health", "/v1/models", "/api/sessions", "/api/export/csv", "/metrics", "/", "/app.js"})
  void should_answer_head_wherever_get_answers(String path, TestProxy proxy) {
    HttpResponse<String> get = proxy.get(path);
    HttpResponse<String> head = proxy.send(proxy.request(path).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
    assertEquals(get.statusCode(), head.statusCode(), path);
    assertEquals(get.headers().firstValue("Content-Type"), head.headers().firstValue("Content-Type"), path);
    assertEquals("", head.body());
  }

  @Test
  void should_answer_head_on_an_unknown_path_with_404(TestProxy proxy) {
    HttpResponse<String> head = proxy.send(proxy.request("/nope").method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
    assertEquals(404, head.statusCode());
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"max_tokens\":1e30", "\"max_tokens\":0", "\"max_tokens\":-5", "\"max_tokens\":2.5",
      "\"max_tokens\":\"100\"", "\"max_tokens\":true", "\"max_tokens\":99999999999999999999999",
      "\"max_completion_tokens\":1e30", "\"n\":0", "\"n\":129", "\"n\":1.5", "\"n\":[1]"})
  void should_refuse_a_count_that_is_not_an_integer_in_range(String field, TestProxy proxy) {
    String body = "{\"model\":\"test/model\"," + field + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    JsonObject error = assertError(proxy.post("/v1/chat/completions", body), 400, "invalid_request_error");
    String name = field.substring(1, field.indexOf('"', 1));
    assertEquals(name, error.getString("param"));
    assertTrue(error.getString("message").startsWith("'" + name + "' must be an integer from 1 to "), error.encode());
    assertEquals(0, Stubs.calls(proxy.upstream(), Stubs.CHAT_PATH));
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"max_tokens\":500", "\"max_tokens\":null", "\"n\":1", "\"max_completion_tokens\":900"})
  void should_pass_a_count_in_range(String field, TestProxy proxy) {
    proxy.upstream().stubFor(Stubs.chat().willReturn(Stubs.ok()));
    String body = "{\"model\":\"test/model\"," + field + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    HttpResponse<String> response = proxy.post("/v1/chat/completions", body);
    assertEquals(200, response.statusCode(), response.body());
  }

  @ParameterizedTest
  @ValueSource(strings = {"{", "{\"model\":", "{'model':'x'}", "{\"model\":\"test/model\",}", "{\"a\":1}}", "{\"a\":\u0001}",
      "{\"a\":\"\\x\"}", "{\"a\":01}", "{\"a\":NaN}"})
  void should_describe_bad_json_without_the_parsers_internals(String body, TestProxy proxy) {
    HttpResponse<String> response = proxy.post("/v1/chat/completions", body);
    assertEquals(400, response.statusCode(), response.body());
    String message = assertError(response, 400, "invalid_request_error").getString("message");
    for (String internal : new String[] {"jackson", "Jackson", "com.fasterxml", "Source:", "code ", "token", "Failed to decode",
        "io.netty", "io.vertx", "JsonParser"}) {
      assertFalse(message.contains(internal), "'" + internal + "' in: " + message);
    }
  }
}
