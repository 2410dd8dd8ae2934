package io.kimiproxy.api.guardrails;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kimiproxy.testing.Fixtures;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * What the guardrail tests share: a proxy with an OpenAI-format provider ("test/model") and an
 * Anthropic one ("claude") on the WireMock upstream, upstream answers built by hand the way Cline
 * and Continue get them, and the guardrail API calls.
 */
final class GuardrailsHarness {
  static final String CONFIG = TestProxy.ONE_PROVIDER + """

      [providers.anthropic]
      type = "anthropic"
      base_url = "{{UPSTREAM}}/v1"
      api_key = "${TEST_KEY}"
      timeout_s = 10

      [providers.gemini]
      type = "gemini"
      base_url = "{{UPSTREAM}}/v1beta"
      api_key = "${TEST_KEY}"
      timeout_s = 10

      [models."claude"]
      provider = "anthropic"
      model = "claude-sonnet-4-5"

      [models."gemini/flash"]
      provider = "gemini"
      model = "gemini-2.5-flash"
      """;

  private GuardrailsHarness() {}

  static void streamFromUpstream(TestProxy proxy, String path, byte[] sse) {
    proxy.upstream().stubFor(post(urlEqualTo(path)).willReturn(aResponse()
        .withHeader("Content-Type", "text/event-stream").withBody(sse).withChunkedDribbleDelay(8, 40)));
  }

  static void answerFromUpstream(TestProxy proxy, String json) {
    proxy.upstream().stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse()
        .withHeader("Content-Type", "application/json").withBody(json)));
  }

  static HttpResponse<String> chat(TestProxy proxy, String model, boolean stream, boolean includeUsage, String session) {
    JsonObject body = new JsonObject().put("model", model).put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Clean up the project")))
        .put("tools", new JsonArray().add(new JsonObject().put("type", "function").put("function",
            new JsonObject().put("name", "execute_command").put("parameters", new JsonObject().put("type", "object")))));
    if (includeUsage) body.put("stream_options", new JsonObject().put("include_usage", true));
    return proxy.send(proxy.request("/v1/chat/completions").header("Content-Type", "application/json")
        .header("User-Agent", "Cline/3.17").header("X-Session-Id", session)
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build());
  }

  static HttpResponse<String> put(TestProxy proxy, String path, String body) {
    return proxy.send(proxy.request(path).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  static void rules(TestProxy proxy, String body) {
    HttpResponse<String> response = put(proxy, "/api/guardrails/rules", body);
    assertEquals(200, response.statusCode(), response.body());
  }

  static JsonArray actions(TestProxy proxy, String session) {
    HttpResponse<String> response = proxy.get("/api/guardrails/actions?session=" + session);
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body()).getJsonArray("data");
  }

  /** A recorded Gemini stream (a JSON array of responses) framed as alt=sse sends it: one event per response. */
  static byte[] geminiSse(String fixture) {
    StringBuilder out = new StringBuilder();
    new JsonArray(Fixtures.text(fixture)).forEach(e -> out.append("data: ").append(((JsonObject) e).encode()).append("\r\n\r\n"));
    return out.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** An OpenAI stream: the chunks, then [DONE]. */
  static byte[] sse(List<String> chunks) {
    StringBuilder out = new StringBuilder();
    chunks.forEach(c -> out.append("data: ").append(c).append("\n\n"));
    return out.append("data: [DONE]\n\n").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  static String chunk(String delta, String finishReason) {
    return "{\"id\":\"chatcmpl-guard\",\"object\":\"chat.completion.chunk\",\"created\":1766084439,\"model\":\"upstream-model\","
        + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
        + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}]}";
  }

  /** One tool call as a model streams it: a chunk with id and name, then its arguments a few characters at a time. */
  static List<String> toolCall(int index, String id, String name, String arguments, int fragment) {
    List<String> chunks = new ArrayList<>();
    chunks.add(chunk("{\"tool_calls\":[{\"index\":" + index + ",\"id\":\"" + id + "\",\"type\":\"function\",\"function\":{\"name\":\""
        + name + "\",\"arguments\":\"\"}}]}", null));
    for (int i = 0; i < arguments.length(); i += fragment) {
      String part = arguments.substring(i, Math.min(arguments.length(), i + fragment));
      chunks.add(chunk("{\"tool_calls\":[{\"index\":" + index + ",\"function\":{\"arguments\":" + Json.encode(part) + "}}]}", null));
    }
    return chunks;
  }

  /** A whole chat.completion whose message calls the given tools ({name, arguments} pairs). */
  static String completion(String... nameAndArguments) {
    JsonArray calls = new JsonArray();
    for (int i = 0; i < nameAndArguments.length; i += 2) {
      calls.add(new JsonObject().put("id", "call_" + i).put("type", "function").put("function",
          new JsonObject().put("name", nameAndArguments[i]).put("arguments", nameAndArguments[i + 1])));
    }
    JsonObject message = new JsonObject().put("role", "assistant").putNull("content").put("tool_calls", calls);
    return new JsonObject().put("id", "chatcmpl-whole").put("object", "chat.completion").put("created", 1766084439)
        .put("model", "upstream-model")
        .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("message", message).put("finish_reason", "tool_calls")))
        .put("usage", new JsonObject().put("prompt_tokens", 20).put("completion_tokens", 10).put("total_tokens", 30))
        .encode();
  }
}
