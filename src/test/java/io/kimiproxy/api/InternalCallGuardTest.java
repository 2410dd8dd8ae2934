package io.kimiproxy.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kimiproxy.core.util.InternalCalls;
import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The internal-call headers give nothing to a caller without the process's token. */
class InternalCallGuardTest {
  private static final String CLIENT_KEY = "client-key-for-guard-test";
  private static final String ANSWER = """
      {"id":"c1","object":"chat.completion","model":"upstream-model","choices":[{"index":0,
       "message":{"role":"assistant","content":"hello"},"finish_reason":"stop"}],
       "usage":{"prompt_tokens":9,"completion_tokens":1,"total_tokens":10}}""";

  @RegisterExtension
  static final SharedProxy PROXY = SharedProxy.with(TestProxy.ONE_PROVIDER, "api_keys = [\"" + CLIENT_KEY + "\"]");

  @Test
  void should_refuse_a_wrong_internal_token_even_with_a_valid_client_key() {
    TestProxy proxy = PROXY.get();
    HttpResponse<String> response = proxy.send(chat(proxy, "guard-wrong-token")
        .header(InternalCalls.TOKEN_HEADER, "not-the-token")
        .header(InternalCalls.KIND_HEADER, "agent").build());
    assertEquals(401, response.statusCode(), response.body());
    assertEquals("authentication_error", new JsonObject(response.body()).getJsonObject("error").getString("type"));
    proxy.upstream().verify(0, postRequestedFor(urlEqualTo("/v1/chat/completions")));
  }

  @Test
  void should_record_a_kind_header_without_token_as_an_ordinary_chat() {
    TestProxy proxy = PROXY.get();
    proxy.upstream().stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse()
        .withHeader("Content-Type", "application/json").withBody(ANSWER)));
    HttpResponse<String> response = proxy.send(chat(proxy, "guard-kind-only")
        .header(InternalCalls.KIND_HEADER, "agent").build());
    assertEquals(200, response.statusCode(), response.body());
    HttpResponse<String> session = proxy.send(proxy.request("/api/sessions/guard-kind-only")
        .header("Authorization", "Bearer " + CLIENT_KEY).GET().build());
    JsonObject row = new JsonObject(session.body()).getJsonArray("requests").getJsonObject(0);
    assertEquals("chat", row.getString("kind"));
  }

  private static HttpRequest.Builder chat(TestProxy proxy, String session) {
    return proxy.request("/v1/chat/completions")
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + CLIENT_KEY)
        .header("X-Session-Id", session)
        .POST(HttpRequest.BodyPublishers.ofString(TestProxy.chat(false)));
  }
}
