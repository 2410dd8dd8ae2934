package io.kimiproxy.api.context;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import io.kimiproxy.testing.Fixtures;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/** A test proxy with one model of a given window, an upstream answering with a recorded reply, and chat helpers. */
final class ContextProxy {
  static final String CHAT = "/v1/chat/completions";

  private ContextProxy() {}

  /** @param sections extra TOML ([sanitizer], [compaction], more models...) */
  static TestProxy start(long window, String sections) {
    TestProxy proxy = TestProxy.start("""
        [providers.test]
        base_url = "{{UPSTREAM}}/v1"
        api_key = "${TEST_KEY}"

        [models."test/model"]
        provider = "test"
        model = "upstream-model"
        max_context = %d
        """.formatted(window) + sections);
    proxy.upstream().stubFor(post(urlEqualTo(CHAT)).willReturn(aResponse()
        .withHeader("Content-Type", "application/json")
        .withBody(Fixtures.bytes("openai/chat-nonstream-gpt5-reasoning-tokens.json"))));
    return proxy;
  }

  static HttpResponse<String> send(TestProxy proxy, String session, JsonObject body) {
    return proxy.send(proxy.request(CHAT).header("X-Session-Id", session)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode())).build());
  }

  /** Bodies the upstream received, oldest first. */
  static List<JsonObject> upstreamBodies(TestProxy proxy) {
    return proxy.upstream().findAll(postRequestedFor(urlEqualTo(CHAT))).stream()
        .map(r -> new JsonObject(r.getBodyAsString())).toList();
  }

  static JsonObject lastUpstreamBody(TestProxy proxy) {
    List<JsonObject> bodies = upstreamBodies(proxy);
    return bodies.get(bodies.size() - 1);
  }
}
