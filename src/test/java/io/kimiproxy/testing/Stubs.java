package io.kimiproxy.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** WireMock stubs for the "test" provider of {@link TestProxy}, answering with recorded fixtures. */
public final class Stubs {
  public static final String CHAT_PATH = "/v1/chat/completions";

  private Stubs() {}

  public static MappingBuilder chat() {
    return post(urlEqualTo(CHAT_PATH));
  }

  /** A recorded stream, sent as the provider sent it. */
  public static ResponseDefinitionBuilder sse(String fixture) {
    return aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(Fixtures.bytes(fixture));
  }

  /** A recorded JSON body (an answer or an error) with the status it came with. */
  public static ResponseDefinitionBuilder json(int status, String fixture) {
    return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(Fixtures.bytes(fixture));
  }

  /** The chat bodies the upstream received, oldest first. */
  public static List<JsonObject> received(WireMockServer upstream) {
    return upstream.findAll(postRequestedFor(urlEqualTo(CHAT_PATH))).stream()
        .map(r -> new JsonObject(r.getBodyAsString())).toList();
  }

  /** A plain successful chat completion. */
  public static ResponseDefinitionBuilder ok() {
    return json(200, "openai/chat-nonstream-parallel-tool-calls.json");
  }

  /** A plain chat completion that reports the given usage, for tests of what usage counts against. */
  public static ResponseDefinitionBuilder okWithUsage(int promptTokens, int completionTokens) {
    JsonObject body = new JsonObject().put("id", "chatcmpl-usage").put("object", "chat.completion").put("created", 1)
        .put("model", "upstream-model")
        .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
            .put("message", new JsonObject().put("role", "assistant").put("content", "Hello."))
            .put("finish_reason", "stop")))
        .put("usage", new JsonObject().put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
            .put("total_tokens", promptTokens + completionTokens));
    return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body.encode());
  }

  /**
   * Answers successive POSTs to {@code path} with the responses in order; the last one repeats.
   * Built on a WireMock scenario per path, so that each provider keeps its own sequence.
   */
  public static void sequence(WireMockServer server, String path, ResponseDefinitionBuilder... responses) {
    String scenario = "sequence " + path;
    for (int i = 0; i < responses.length; i++) {
      ScenarioMappingBuilder stub = post(urlEqualTo(path)).inScenario(scenario)
          .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "step " + i)
          .willReturn(responses[i]);
      if (i + 1 < responses.length) stub = stub.willSetStateTo("step " + (i + 1));
      server.stubFor(stub);
    }
  }

  /** How many POSTs reached {@code path}. */
  public static int calls(WireMockServer server, String path) {
    return server.findAll(postRequestedFor(urlEqualTo(path))).size();
  }
}
