package io.kimiproxy.api.golden;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.kimiproxy.testing.Stubs.json;
import static io.kimiproxy.testing.Stubs.sequence;
import static io.kimiproxy.testing.Stubs.sse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import io.kimiproxy.core.model.Usage;
import io.kimiproxy.testing.Fixtures;
import io.kimiproxy.testing.Ledger;
import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.StrictStreamChecker;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every recorded successful answer in OpenAI's format, from every OpenAI-compatible provider in
 * tests-data/fixtures, through the real proxy: WireMock serves the recorded bytes to a provider
 * named after the fixture's folder (so the name-based quirks apply), the client's stream must
 * pass the strict checker with and without include_usage and carry the recorded text, reasoning
 * and tool calls, and the ledger must hold the provider's usage (or, where it reported none, an
 * estimate marked as such).
 */
class OpenAiCompatibleGoldenTest {
  private static final List<String> FOLDERS = List.of("openai", "azure-openai", "gemini-openai-compat", "mistral",
      "groq", "openrouter", "deepseek", "avian", "cerebras", "together", "anthropic");
  @RegisterExtension
  static final SharedProxy SHARED = SharedProxy.with(config());

  private static String config() {
    StringBuilder config = new StringBuilder();
    for (String folder : FOLDERS) {
      config.append("[providers.\"").append(folder).append("\"]\nbase_url = \"{{UPSTREAM}}/").append(folder).append("/v1\"\n")
          .append("[models.\"").append(folder).append("/m\"]\nprovider = \"").append(folder).append("\"\nmodel = \"m\"\n\n");
    }
    return config.toString();
  }

  static Stream<Arguments> streams() {
    return answers(".sse").stream().flatMap(f -> Stream.of(Arguments.of(f, true), Arguments.of(f, false)));
  }

  static Stream<String> wholeAnswers() {
    return answers(".json").stream();
  }

  /** Successful OpenAI-format answers; anthropic/ contributes only its OpenAI-compatible endpoint's. */
  private static List<String> answers(String extension) {
    List<String> out = new ArrayList<>();
    for (String folder : FOLDERS) {
      try (Stream<Path> files = Files.list(Fixtures.ROOT.resolve(folder))) {
        files.map(p -> folder + "/" + p.getFileName())
            .filter(name -> name.endsWith(extension) && !name.endsWith(".request.json") && !name.endsWith(".meta.json"))
            .filter(name -> !folder.equals("anthropic") || name.startsWith("anthropic/openai-compat-"))
            .filter(name -> new JsonObject(Fixtures.text(name.substring(0, name.lastIndexOf('.')) + ".meta.json"))
                .getJsonObject("response").getInteger("status") == 200)
            .sorted().forEach(out::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0} include_usage={1}")
  @MethodSource("streams")
  void should_relay_every_recorded_stream_as_a_strict_openai_stream(String fixture, boolean includeUsage) {
    String folder = fixture.substring(0, fixture.indexOf('/'));
    sequence(proxy().upstream(), "/" + folder + "/v1/chat/completions", sse(fixture));
    String session = TestProxy.newSession();
    HttpResponse<String> response = post(folder, session, true, includeUsage);
    assertEquals(200, response.statusCode(), response.body());

    StrictStreamChecker.Result result = StrictStreamChecker.check(StrictStreamChecker.dataEvents(response.body()), includeUsage);
    Recorded recorded = Recorded.ofStream(Fixtures.text(fixture));
    assertNull(result.error(), response.body());
    assertEquals(recorded.content, result.content());
    assertEquals(recorded.reasoning, result.reasoning());
    assertEquals(recorded.toolCallNames, result.toolCalls().stream().map(c -> c.getString("name")).toList());
    if (includeUsage && recorded.usage != null) {
      assertEquals(recorded.usage.getLong("prompt_tokens"), result.usage().getLong("prompt_tokens"));
      assertEquals(recorded.usage.getLong("completion_tokens"), result.usage().getLong("completion_tokens"));
    }
    assertLedgerUsage(session, recorded.usage);

    RequestPatternBuilder sent = postRequestedFor(urlEqualTo("/" + folder + "/v1/chat/completions"));
    if (folder.equals("mistral")) {
      assertFalse(proxy().upstream().findAll(sent).get(0).getBodyAsString().contains("stream_options"));
    } else {
      proxy().upstream().verify(sent.withRequestBody(matchingJsonPath("$.stream_options.include_usage", equalTo("true"))));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wholeAnswers")
  void should_relay_every_recorded_answer_as_a_chat_completion(String fixture) {
    String folder = fixture.substring(0, fixture.indexOf('/'));
    sequence(proxy().upstream(), "/" + folder + "/v1/chat/completions", json(200, fixture));
    String session = TestProxy.newSession();
    HttpResponse<String> response = post(folder, session, false, false);
    assertEquals(200, response.statusCode(), response.body());

    JsonObject answer = new JsonObject(response.body());
    JsonObject recorded = new JsonObject(Fixtures.text(fixture).trim());
    JsonArray choices = answer.getJsonArray("choices");
    assertEquals(recorded.getJsonArray("choices").size(), choices.size());
    JsonObject message = choices.getJsonObject(0).getJsonObject("message");
    JsonObject recordedMessage = recorded.getJsonArray("choices").getJsonObject(0).getJsonObject("message");
    if (recordedMessage != null) {
      assertEquals(recordedMessage.getValue("content"), message.getValue("content"));
      Object reasoning = recordedMessage.getValue("reasoning_content") != null
          ? recordedMessage.getValue("reasoning_content") : recordedMessage.getValue("reasoning");
      assertEquals(reasoning, message.getValue("reasoning_content"));
      if (message.getValue("tool_calls") instanceof JsonArray calls) {
        for (Object call : calls) {
          assertFalse(((JsonObject) call).getString("id", "").isEmpty(), message.encode());
          assertEquals("function", ((JsonObject) call).getString("type"));
        }
      }
    }
    assertLedgerUsage(session, recorded.getJsonObject("usage"));
  }

  private static HttpResponse<String> post(String folder, String session, boolean stream, boolean includeUsage) {
    JsonObject body = new JsonObject().put("model", folder + "/m").put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Tell me a joke")));
    if (includeUsage) body.put("stream_options", new JsonObject().put("include_usage", true));
    return proxy().send(proxy().request("/v1/chat/completions").header("Content-Type", "application/json")
        .header("X-Session-Id", session).POST(HttpRequest.BodyPublishers.ofString(body.encode())).build());
  }

  /** The provider's usage is what the ledger holds; without one, an estimate marked as such. */
  private static void assertLedgerUsage(String session, JsonObject reported) {
    JsonObject row = Ledger.rows(proxy(), session).get(0);
    assertEquals(200, row.getInteger("status"));
    if (reported == null) {
      assertTrue(row.getBoolean("tokens_estimated"), row.encode());
      assertTrue(row.getLong("prompt_tokens") > 0 && row.getLong("completion_tokens") > 0, row.encode());
      return;
    }
    Usage usage = Usage.fromOpenAi(reported);
    assertFalse(row.getBoolean("tokens_estimated"), row.encode());
    assertEquals(usage.promptTokens(), row.getLong("prompt_tokens"));
    assertEquals(usage.completionTokens(), row.getLong("completion_tokens"));
    assertEquals(usage.cachedTokens(), row.getLong("cached_tokens"));
    assertEquals(usage.reasoningTokens(), row.getLong("reasoning_tokens"));
  }

  /** What a recorded stream carried, read straight from its bytes. */
  private record Recorded(String content, String reasoning, List<String> toolCallNames, JsonObject usage) {
    static Recorded ofStream(String sse) {
      StringBuilder content = new StringBuilder();
      StringBuilder reasoning = new StringBuilder();
      Set<String> calls = new LinkedHashSet<>();
      List<String> names = new ArrayList<>();
      JsonObject usage = null;
      for (String data : StrictStreamChecker.dataEvents(sse)) {
        if (data.equals("[DONE]")) continue;
        JsonObject chunk = new JsonObject(data);
        if (chunk.getValue("usage") instanceof JsonObject u) usage = u;
        if (chunk.getValue("x_groq") instanceof JsonObject groq && groq.getValue("usage") instanceof JsonObject u) usage = u;
        for (Object c : chunk.getJsonArray("choices", new JsonArray())) {
          JsonObject delta = ((JsonObject) c).getJsonObject("delta", new JsonObject());
          if (delta.getValue("content") instanceof String s) content.append(s);
          Object thought = delta.getValue("reasoning_content") != null ? delta.getValue("reasoning_content") : delta.getValue("reasoning");
          if (thought instanceof String s) reasoning.append(s);
          for (Object t : delta.getJsonArray("tool_calls", new JsonArray())) {
            JsonObject fn = ((JsonObject) t).getJsonObject("function", new JsonObject());
            if (fn.getValue("name") instanceof String name && calls.add(((JsonObject) t).getValue("index") + ":" + name)) {
              names.add(name);
            }
          }
        }
      }
      return new Recorded(content.toString(), reasoning.toString(), names, usage);
    }
  }

  private static TestProxy proxy() {
    return SHARED.get();
  }
}
