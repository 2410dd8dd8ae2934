package io.kimiproxy.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.kimiproxy.testing.Fixtures;
import io.kimiproxy.testing.StrictStreamChecker;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * For tests of the real proxy with a native Gemini provider on WireMock (one proxy per test), and
 * the Gemini fixtures as the wire carries them.
 */
abstract class GeminiProxyHarness {
  static final String CONFIG = """
      [providers.gemini]
      type = "gemini"
      base_url = "{{UPSTREAM}}/v1beta"
      api_key = "${TEST_KEY}"
      timeout_s = 10

      [models."gemini/flash"]
      provider = "gemini"
      model = "gemini-2.5-flash"
      max_context = 1048576
      input_price = 0.30
      cached_input_price = 0.03
      output_price = 2.50

      [models."gemini/3-flash"]
      provider = "gemini"
      model = "gemini-3-flash-preview"
      max_context = 1048576
      input_price = 0.50
      output_price = 3.00

      [models."gemini/flash-latest"]
      provider = "gemini"
      model = "gemini-flash-latest"
      max_context = 1048576
      """;

  TestProxy proxy;

  @BeforeEach
  void startProxy() {
    proxy = TestProxy.start(CONFIG);
  }

  @AfterEach
  void stopProxy() {
    proxy.close();
  }

  static String path(String model, boolean stream) {
    return "/v1beta/models/" + model + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
  }

  /**
   * A recorded stream as {@code alt=sse} sends it. The .sse recording is used byte for byte. The
   * JSON-array recordings ({@code streamGenerateContent} without alt=sse) are re-framed, because they
   * alone hold the thought parts, signed function calls and empty signature parts the adapter must
   * handle: each array element is one alt=sse event's data, framed with Gemini's {@code \r\n\r\n}.
   */
  static byte[] sse(String fixture) {
    if (fixture.endsWith(".sse")) return Fixtures.bytes("gemini/" + fixture);
    StringBuilder out = new StringBuilder();
    for (Object element : new JsonArray(Fixtures.text("gemini/" + fixture))) {
      out.append("data: ").append(((JsonObject) element).encode()).append("\r\n\r\n");
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The events of a recorded stream, as Gemini objects. */
  static List<JsonObject> events(String fixture) {
    return StrictStreamChecker.dataEvents(new String(sse(fixture), StandardCharsets.UTF_8))
        .stream().map(JsonObject::new).toList();
  }

  static MappingBuilder call(String model, boolean stream) {
    return post(urlEqualTo(path(model, stream)));
  }

  void answer(MappingBuilder call, int status, boolean stream, byte[] body) {
    proxy.upstream().stubFor(call.willReturn(aResponse().withStatus(status)
        .withHeader("Content-Type", stream ? "text/event-stream" : "application/json; charset=UTF-8")
        .withBody(body)));
  }

  /** The body of the n-th call the proxy made (0 = first). */
  JsonObject sent(int n) {
    List<ServeEvent> events = proxy.upstream().getAllServeEvents();
    return new JsonObject(events.get(events.size() - 1 - n).getRequest().getBodyAsString());
  }

  /** The key travels in the x-goog-api-key header only: never in a URL Gemini (or a log) sees. */
  void assertKeyNeverInUrl() {
    for (ServeEvent event : proxy.upstream().getAllServeEvents()) {
      String url = event.getRequest().getUrl();
      assertFalse(url.contains(TestProxy.KEY) || url.contains("key="), url);
    }
  }

  static String chat(String model, boolean stream, boolean includeUsage, JsonArray messages) {
    JsonObject body = new JsonObject().put("model", model).put("stream", stream).put("messages", messages);
    if (includeUsage) body.put("stream_options", new JsonObject().put("include_usage", true));
    return body.encode();
  }
}
