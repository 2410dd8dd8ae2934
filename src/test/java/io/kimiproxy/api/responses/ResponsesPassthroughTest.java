package io.kimiproxy.api.responses;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.kimiproxy.testing.Stubs.json;
import static io.kimiproxy.testing.Stubs.sse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.Fixtures;
import io.kimiproxy.testing.Ledger;
import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.StrictResponsesStreamChecker;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A Responses client in front of providers that serve Responses ({@code responses = true}): the
 * client's body goes upstream with only the model replaced (and the items a step changed encoded
 * anew), the provider's recorded events and bodies (tests-data/fixtures/openai-responses) come back
 * byte for byte, the ledger holds the provider's usage, encrypted reasoning goes back only to the
 * provider that issued it, and the guardrails still judge every function call.
 */
class ResponsesPassthroughTest {
  private static final String FOLDER = "openai-responses";
  @RegisterExtension
  static final SharedProxy SHARED = SharedProxy.with("""
      [providers.openai]
      base_url = "{{UPSTREAM}}/v1"
      api_key = "${TEST_KEY}"
      responses = true

      [providers.other]
      base_url = "{{UPSTREAM}}/other/v1"
      api_key = "${TEST_KEY}"
      responses = true

      [providers.chat]
      base_url = "{{UPSTREAM}}/chat/v1"
      api_key = "${TEST_KEY}"

      [models."openai/m"]
      provider = "openai"
      model = "gpt-test"
      max_context = 200000
      input_price = 1.0
      output_price = 2.0

      [models."other/m"]
      provider = "other"
      model = "other-model"

      [models."chat/m"]
      provider = "chat"
      model = "chat-model"
      """);

  static Stream<String> streams() {
    return fixtures(".sse");
  }

  static Stream<String> wholeAnswers() {
    return fixtures(".json");
  }

  private static Stream<String> fixtures(String extension) {
    try (Stream<Path> files = Files.list(Fixtures.ROOT.resolve(FOLDER))) {
      return files.map(p -> FOLDER + "/" + p.getFileName()).filter(f -> f.endsWith(extension)).sorted().toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streams")
  void should_relay_every_recorded_responses_stream_byte_for_byte(String fixture, TestProxy proxy) {
    proxy.upstream().stubFor(post(urlEqualTo("/v1/responses")).willReturn(sse(fixture)));
    String session = TestProxy.newSession();
    String body = "{\"model\":\"openai/m\",\"stream\":true,\"store\":false,\"input\":[{\"role\":\"user\","
        + "\"content\":\"What is the weather in Detroit?\"}],\"tools\":[{\"type\":\"web_search\"},{\"type\":\"function\","
        + "\"name\":\"weather\",\"parameters\":{\"type\":\"object\"}}],\"include\":[\"reasoning.encrypted_content\"],"
        + "\"prompt_cache_key\":\"" + session + "\",\"reasoning\":{\"effort\":\"low\",\"summary\":\"auto\"}}";

    HttpResponse<String> response = send(proxy, body);

    assertEquals(200, response.statusCode(), response.body());
    assertEquals(Fixtures.text(fixture), response.body());
    StrictResponsesStreamChecker.Result result = StrictResponsesStreamChecker.check(response.body());
    assertEquals(body.replace("\"model\":\"openai/m\"", "\"model\":\"gpt-test\""), upstreamBody(proxy, "/v1/responses", 0));
    JsonObject row = Ledger.rows(proxy, session).get(0);
    assertEquals("responses", row.getString("api"));
    assertEquals("openai", row.getString("provider"));
    assertEquals(result.usage().getLong("input_tokens"), row.getLong("prompt_tokens"));
    assertEquals(result.usage().getLong("output_tokens"), row.getLong("completion_tokens"));
    assertEquals(false, row.getBoolean("tokens_estimated"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wholeAnswers")
  void should_pass_every_recorded_whole_answer_through_as_the_provider_sent_it(String fixture, TestProxy proxy) {
    proxy.upstream().stubFor(post(urlEqualTo("/v1/responses")).willReturn(json(200, fixture)));
    String session = TestProxy.newSession();

    String body = "{\"model\":\"openai/m\",\"input\":\"Weather?\",\"prompt_cache_key\":\"" + session + "\"}";
    HttpResponse<String> response = send(proxy, body);

    assertEquals(200, response.statusCode(), response.body());
    assertEquals(body.replace("openai/m", "gpt-test"), upstreamBody(proxy, "/v1/responses", 0));
    assertEquals(Fixtures.text(fixture), response.body());
    JsonObject usage = new JsonObject(Fixtures.text(fixture)).getJsonObject("usage");
    assertEquals(usage.getLong("input_tokens"), Ledger.rows(proxy, session).get(0).getLong("prompt_tokens"));
  }

  @Test
  void should_send_encrypted_reasoning_back_only_to_the_provider_that_issued_it(TestProxy proxy) {
    // Scripted, not recorded: no recording with encrypted reasoning is available (see SOURCES.md).
    JsonObject reasoning = new JsonObject().put("id", "rs_1").put("type", "reasoning").put("summary", new JsonArray())
        .put("encrypted_content", "gAAAAABissued-by-openai");
    JsonObject message = new JsonObject().put("id", "msg_1").put("type", "message").put("status", "completed")
        .put("role", "assistant").put("content", new JsonArray().add(new JsonObject().put("type", "output_text")
            .put("annotations", new JsonArray()).put("text", "Sunny.")));
    proxy.upstream().stubFor(post(urlEqualTo("/v1/responses")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "text/event-stream").withBody(scripted(reasoning, message))));
    send(proxy, "{\"model\":\"openai/m\",\"stream\":true,\"input\":\"Weather?\"}");

    JsonObject unknown = reasoning.copy().put("id", "rs_2").put("encrypted_content", "gAAAAABissued-elsewhere");
    JsonArray input = new JsonArray().add(new JsonObject().put("role", "user").put("content", "Weather?"))
        .add(reasoning).add(message).add(unknown).add(new JsonObject().put("role", "user").put("content", "And tomorrow?"));
    for (String model : List.of("openai/m", "other/m", "chat/m")) {
      proxy.upstream().stubFor(post(urlEqualTo(model.equals("chat/m") ? "/chat/v1/chat/completions" : model.equals("other/m")
          ? "/other/v1/responses" : "/v1/responses")).willReturn(json(200, FOLDER + "/nonstream-text.json")));
      send(proxy, new JsonObject().put("model", model).put("input", input).encode());
    }

    String again = upstreamBody(proxy, "/v1/responses", 1);
    assertTrue(again.contains("gAAAAABissued-by-openai"), again);
    assertFalse(again.contains("gAAAAABissued-elsewhere"), again);
    String other = upstreamBody(proxy, "/other/v1/responses", 0);
    assertFalse(other.contains("gAAAAABissued"), other);
    assertTrue(other.contains("And tomorrow?"), other);
    assertFalse(upstreamBody(proxy, "/chat/v1/chat/completions", 0).contains("gAAAAABissued"));
  }

  @Test
  void should_splice_a_message_a_step_changed_as_an_item_of_its_own(TestProxy proxy) {
    proxy.upstream().stubFor(post(urlEqualTo("/v1/responses")).willReturn(json(200, FOLDER + "/nonstream-text.json")));
    String first = "{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"Hello\"}]}";
    String call = "{\"type\":\"function_call\",\"call_id\":\"call_1\",\"name\":\"exec\",\"arguments\":\"{\\\"cmd\\\":\\\"env\\\"}\"}";

    send(proxy, "{\"model\":\"openai/m\",\"instructions\":\"Be terse.\",\"input\":[" + first + "," + call + ","
        + "{\"type\":\"function_call_output\",\"call_id\":\"call_1\",\"output\":\"AWS_KEY=AKIAZ2Q4W6E8R0T1Y3U5\"}]}");

    JsonObject sent = new JsonObject(upstreamBody(proxy, "/v1/responses", 0));
    String raw = upstreamBody(proxy, "/v1/responses", 0);
    assertTrue(raw.startsWith("{\"model\":\"gpt-test\",\"instructions\":\"Be terse.\",\"input\":[" + first + "," + call + ","), raw);
    JsonObject output = sent.getJsonArray("input").getJsonObject(2);
    assertEquals("function_call_output", output.getString("type"));
    assertEquals("call_1", output.getString("call_id"));
    assertFalse(output.getString("output").contains("AKIAZ2Q4W6E8R0T1Y3U5"), output.encode());
    assertTrue(output.getString("output").contains("[REDACTED"), output.encode());
  }

  @Test
  void should_judge_relayed_function_calls_with_the_guardrails(TestProxy proxy) {
    String defaults = proxy.get("/api/guardrails/rules").body();
    put(proxy, new JsonObject().put("rules", new JsonObject().put("OTHER", new JsonObject().put("action", "block")
        .put("blocked_patterns", new JsonArray().add("re:Tigers")))).encode());
    try {
      proxy.upstream().stubFor(post(urlEqualTo("/v1/responses")).willReturn(sse(FOLDER + "/stream-two-function-calls.sse")));

      HttpResponse<String> response = send(proxy, "{\"model\":\"openai/m\",\"stream\":true,\"input\":\"Tigers game?\"}");

      StrictResponsesStreamChecker.Result result = StrictResponsesStreamChecker.check(response.body());
      assertEquals(List.of("weather"), result.calls().stream().map(c -> c.getString("name")).toList());
      assertTrue(result.text().startsWith("Kimi Proxy blocked a tool call: search"), result.text());
      assertEquals(List.of("function_call", "message"), result.output().stream()
          .map(o -> ((JsonObject) o).getString("type")).toList());
    } finally {
      put(proxy, defaults);
    }
  }

  private static HttpResponse<String> send(TestProxy proxy, String body) {
    return proxy.send(proxy.request("/v1/responses").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private static void put(TestProxy proxy, String rules) {
    HttpResponse<String> response = proxy.send(proxy.request("/api/guardrails/rules").header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(rules)).build());
    assertEquals(200, response.statusCode(), response.body());
  }

  private static String upstreamBody(TestProxy proxy, String path, int index) {
    return proxy.upstream().findAll(postRequestedFor(urlEqualTo(path))).get(index).getBodyAsString();
  }

  /** A minimal Responses stream whose output is {@code items}, each added then done. */
  private static String scripted(JsonObject... items) {
    StringBuilder out = new StringBuilder();
    int[] sequence = {0};
    JsonObject response = new JsonObject().put("id", "resp_1").put("object", "response").put("created_at", 1)
        .put("status", "in_progress").put("model", "gpt-test").put("output", new JsonArray());
    event(out, sequence, new JsonObject().put("type", "response.created").put("response", response));
    for (int i = 0; i < items.length; i++) {
      event(out, sequence, new JsonObject().put("type", "response.output_item.added").put("output_index", i).put("item", items[i]));
      event(out, sequence, new JsonObject().put("type", "response.output_item.done").put("output_index", i).put("item", items[i]));
    }
    JsonObject usage = new JsonObject().put("input_tokens", 10).put("input_tokens_details", new JsonObject().put("cached_tokens", 0))
        .put("output_tokens", 5).put("output_tokens_details", new JsonObject().put("reasoning_tokens", 3)).put("total_tokens", 15);
    event(out, sequence, new JsonObject().put("type", "response.completed").put("response", response.copy()
        .put("status", "completed").put("output", new JsonArray(List.of((Object[]) items))).put("usage", usage)));
    return out.toString();
  }

  private static void event(StringBuilder out, int[] sequence, JsonObject event) {
    event.put("sequence_number", sequence[0]++);
    out.append("event: ").append(event.getString("type")).append("\ndata: ").append(event.encode()).append("\n\n");
  }
}
