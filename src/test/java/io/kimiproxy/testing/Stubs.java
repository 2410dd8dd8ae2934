package io.kimiproxy.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
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
}
