package io.kimiproxy.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kimiproxy.testing.Fixtures;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Anthropic's OpenAI-compatible endpoint needs no translation: a provider of type "openai" relays it. */
class AnthropicOpenAiCompatTest {

  @Test
  void should_relay_anthropics_openai_compatible_answer_unchanged_and_record_its_usage() {
    try (TestProxy proxy = TestProxy.start("""
        [providers.anthropic-openai]
        type = "openai"
        base_url = "{{UPSTREAM}}/v1"
        api_key = "${TEST_KEY}"

        [models."claude-compat"]
        provider = "anthropic-openai"
        model = "claude-sonnet-4-5"
        max_context = 200000
        input_price = 3.0
        output_price = 15.0
        """)) {
      String fixture = "anthropic/openai-compat-chat-completions-nonstream.json";
      proxy.upstream().stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse()
          .withHeader("Content-Type", "application/json").withBody(Fixtures.bytes(fixture))));
      HttpResponse<String> response = proxy.send(proxy.request("/v1/chat/completions")
          .header("Content-Type", "application/json").header("X-Session-Id", "compat")
          .POST(HttpRequest.BodyPublishers.ofString(
              "{\"model\":\"claude-compat\",\"messages\":[{\"role\":\"user\",\"content\":\"What is 4200 + 42?\"}]}")).build());

      assertEquals(200, response.statusCode());
      assertEquals(new JsonObject(Fixtures.text(fixture)), new JsonObject(response.body()));
      proxy.upstream().verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
          .withHeader("Authorization", equalTo("Bearer " + TestProxy.KEY)));
      JsonObject row = new JsonObject(proxy.get("/api/sessions/compat").body()).getJsonArray("requests").getJsonObject(0);
      assertEquals(17L, row.getLong("prompt_tokens"));
      assertEquals(15L, row.getLong("completion_tokens"));
      assertEquals((17 * 3.0 + 15 * 15.0) / 1e6, row.getDouble("cost_usd"), 1e-12);
    }
  }
}
