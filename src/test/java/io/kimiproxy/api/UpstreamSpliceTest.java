package io.kimiproxy.api;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.Stubs;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What an OpenAI-format provider gets from a Chat Completions client: the client's own bytes, with
 * the model id and the usage request changed, and only the messages a step changed encoded again.
 */
class UpstreamSpliceTest {
  @RegisterExtension
  static final SharedProxy PROXY = SharedProxy.standard();

  /** Spacing and key order no encoder would produce: they survive only if the bytes are copied. */
  private static final String ODD_MESSAGE = "{ \"content\" : \"keep   my  spacing\\u00e9\",  \"role\":\"user\" }";

  private static String sent(TestProxy proxy, String session) {
    List<LoggedRequest> requests = proxy.upstream().findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))
        .withHeader("Content-Type", com.github.tomakehurst.wiremock.client.WireMock.containing("json")));
    return requests.stream().map(LoggedRequest::getBodyAsString).filter(b -> b.contains(session)).reduce((a, b) -> b)
        .orElseThrow();
  }

  @Test
  void should_send_the_clients_bytes_with_only_the_model_and_usage_request_changed(TestProxy proxy) {
    proxy.upstream().stubFor(Stubs.chat().willReturn(Stubs.json(200, "groq/chat-nonstream-usage-timings.json")));
    String body = "{\"model\":\"test/model\",\"messages\":[{\"role\":\"system\",\"content\":\"splice-1\"}," + ODD_MESSAGE
        + "],\"temperature\" : 0.25 ,\"x_vendor\":{\"a\":[1, 2]}}";
    HttpResponse<String> response = proxy.post("/v1/chat/completions", body);
    assertEquals(200, response.statusCode(), response.body());
    String upstream = sent(proxy, "splice-1");
    assertTrue(upstream.contains("[{\"role\":\"system\",\"content\":\"splice-1\"}," + ODD_MESSAGE + "]"), upstream);
    assertTrue(upstream.contains("\"temperature\":0.25"), upstream);
    assertTrue(upstream.contains("{\"a\":[1, 2]}"), "a field the proxy does not know travels as it came: " + upstream);
    JsonObject parsed = new JsonObject(upstream);
    assertEquals("upstream-model", parsed.getString("model"));
    assertFalse(parsed.containsKey("stream_options"), "a whole answer asks for no usage chunk");
  }

  @Test
  void should_add_the_usage_request_to_a_stream_and_keep_the_clients_options(TestProxy proxy) {
    proxy.upstream().stubFor(Stubs.chat().willReturn(Stubs.sse("openai/chat-stream-text-include-usage.sse")));
    String body = "{\"model\":\"test/model\",\"stream\":true,\"stream_options\":{\"include_usage\":false,\"x\":1},"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"splice-2\"}]}";
    assertEquals(200, proxy.post("/v1/chat/completions", body).statusCode());
    JsonObject parsed = new JsonObject(sent(proxy, "splice-2"));
    assertEquals(new JsonObject().put("include_usage", true).put("x", 1), parsed.getJsonObject("stream_options"));
  }

  @Test
  void should_encode_only_the_message_the_sanitizer_changed(TestProxy proxy) {
    proxy.upstream().stubFor(Stubs.chat().willReturn(Stubs.json(200, "groq/chat-nonstream-usage-timings.json")));
    String secret = "{\"role\":\"user\",\"content\":\"my key is sk-abcdefghijklmnopqrstuvwxyz012345 splice-3\"}";
    String body = "{\"model\":\"test/model\",\"messages\":[" + ODD_MESSAGE + ",{\"role\":\"assistant\",\"content\":\"ok\"},"
        + secret + "]}";
    assertEquals(200, proxy.post("/v1/chat/completions", body).statusCode());
    String upstream = sent(proxy, "splice-3");
    assertTrue(upstream.contains(ODD_MESSAGE), "the unchanged message keeps its bytes: " + upstream);
    assertFalse(upstream.contains("sk-abcdefghijklmnopqrstuvwxyz012345"), upstream);
    assertTrue(upstream.contains("[REDACTED:openai_key]"), upstream);
  }
}
