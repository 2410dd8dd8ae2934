package io.kimiproxy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.Fixtures;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every recorded Gemini error, answered on the path and with the status it was recorded on, reaches
 * the client in OpenAI's error shape with the same status.
 */
class GeminiErrorGoldenTest extends GeminiProxyHarness {
  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "error-400-api-key-invalid, invalid_request_error, INVALID_ARGUMENT",
      "error-403-permission-denied-no-key, permission_error, PERMISSION_DENIED",
      "error-404-model-not-found-streaming-endpoint, not_found_error, NOT_FOUND",
      "error-503-unavailable-overloaded, overloaded_error, UNAVAILABLE",
  })
  void should_answer_a_recorded_gemini_error_in_openai_shape(String name, String type, String code) {
    JsonObject meta = new JsonObject(Fixtures.text("gemini/" + name + ".meta.json"));
    int status = meta.getJsonObject("response").getInteger("status");
    String uri = meta.getJsonObject("request").getString("uri");
    String model = uri.substring(uri.indexOf("/models/") + 8, uri.lastIndexOf(':'));
    boolean stream = uri.contains(":streamGenerateContent");
    answer(call(model, stream), status, stream, Fixtures.bytes("gemini/" + name + ".json"));

    // "gemini/<model>" reaches the provider with the recorded model name (no alias needed).
    HttpResponse<String> response = proxy.post("/v1/chat/completions", chat("gemini/" + model, stream, stream,
        new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hello"))));

    assertEquals(status, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    String recordedMessage = new JsonObject(Fixtures.text("gemini/" + name + ".json")).getJsonObject("error").getString("message");
    assertEquals(recordedMessage, error.getString("message"));
    assertEquals(type, error.getString("type"));
    assertEquals(code, error.getString("code"));
    assertFalse(response.body().contains(TestProxy.KEY));
    assertKeyNeverInUrl();

    JsonObject session = new JsonObject(proxy.get("/api/sessions").body()).getJsonArray("data").getJsonObject(0);
    assertEquals(1, session.getInteger("error_count"));
    JsonObject row = new JsonObject(proxy.get("/api/sessions/" + session.getString("id")).body())
        .getJsonArray("requests").getJsonObject(0);
    assertEquals(status, row.getInteger("status"));
    assertEquals(type, row.getString("error_type"));
    assertEquals(code, row.getString("error_code"));
  }
}
