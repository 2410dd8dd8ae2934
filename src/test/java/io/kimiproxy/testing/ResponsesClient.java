package io.kimiproxy.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A Responses API client of the proxy ({@code POST /v1/responses}), as Codex and the OpenAI SDKs call it. */
public final class ResponsesClient {
  /** The User-Agent Codex sends ({@code codex_exec/<version> (...)}). */
  public static final String CODEX_AGENT = "codex_exec/0.169.0 (Debian 12.0.0; x86_64) dumb (codex_exec; 0.169.0)";

  private ResponsesClient() {}

  public static HttpResponse<String> post(TestProxy proxy, JsonObject body, String... headers) {
    HttpRequest.Builder request = proxy.request("/v1/responses").header("Content-Type", "application/json");
    if (headers.length > 0) request.headers(headers);
    return proxy.send(request.POST(HttpRequest.BodyPublishers.ofString(body.encode())).build());
  }

  /** A one-turn request: a user message of {@code text}. */
  public static JsonObject ask(String model, boolean stream, String text) {
    return new JsonObject().put("model", model).put("stream", stream).put("store", false)
        .put("input", new JsonArray().add(userMessage(text)));
  }

  public static JsonObject userMessage(String text) {
    return new JsonObject().put("type", "message").put("role", "user")
        .put("content", new JsonArray().add(new JsonObject().put("type", "input_text").put("text", text)));
  }

  /** A function tool in the Responses API's flat shape. */
  public static JsonObject function(String name) {
    return new JsonObject().put("type", "function").put("name", name).put("description", "Runs " + name)
        .put("strict", false).put("parameters", new JsonObject().put("type", "object")
            .put("properties", new JsonObject().put("cmd", new JsonObject().put("type", "string"))));
  }
}
