package io.kimiproxy.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Set;

/** Checks a reply is an error in OpenAI's shape, the one every SDK knows how to read. */
public final class OpenAiErrors {
  private OpenAiErrors() {}

  /** @return the inner {@code error} object, for the test's own assertions on message and param */
  public static JsonObject assertError(HttpResponse<String> response, int status, String type) {
    assertEquals(status, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
        "content type of " + response.body());
    JsonObject body = new JsonObject(response.body());
    assertEquals(Set.of("error"), body.fieldNames(), response.body());
    JsonObject error = body.getJsonObject("error");
    assertEquals(Set.of("message", "type", "param", "code"), error.fieldNames(), response.body());
    assertEquals(type, error.getString("type"), response.body());
    assertTrue(error.getString("message") != null && !error.getString("message").isBlank(), response.body());
    assertTrue(!response.body().contains("\tat ") && !response.body().contains("Exception"), "a stack trace in " + response.body());
    return error;
  }
}
