package io.kimiproxy.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

/** Canned provider answers for WireMock, from the recorded fixtures. */
public final class Upstream {
  private Upstream() {}

  /** A recorded stream, as an event-stream body. */
  public static ResponseDefinitionBuilder sse(String fixture) {
    return aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream; charset=utf-8")
        .withBody(Fixtures.bytes(fixture));
  }

  /** A recorded JSON body with a status. */
  public static ResponseDefinitionBuilder json(int status, String fixture) {
    return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(Fixtures.bytes(fixture));
  }

  /** A plain successful chat completion. */
  public static ResponseDefinitionBuilder ok() {
    return json(200, "openai/chat-nonstream-parallel-tool-calls.json");
  }

  /**
   * Answers successive POSTs to {@code path} with the responses in order; the last one repeats.
   * Built on a WireMock scenario per path, so each path keeps its own sequence.
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
