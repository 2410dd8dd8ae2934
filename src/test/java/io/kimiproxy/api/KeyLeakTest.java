package io.kimiproxy.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.kimiproxy.testing.Fixtures;
import io.kimiproxy.testing.LogCapture;
import io.kimiproxy.testing.Stubs;
import io.kimiproxy.testing.TestProxy;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keys never leave the proxy: not in a response, a log line or the database, even when a provider
 * echoes its key back in an error. The keys here have no well-known shape (sk-..., gsk_...), so
 * only knowing the configured values can hide them.
 */
class KeyLeakTest {
  private static final String PROVIDER_KEY = "pk-plain-9f3a7c2e51";
  private static final String CLIENT_KEY = "ck-plain-4b2e8d6a07";
  private static final String ECHOED_401 = Fixtures.text("openai/error-401-invalid-api-key.json")
      .replace("invalid-*****2345", PROVIDER_KEY);

  private final List<String> seen = new ArrayList<>();

  @Test
  void should_keep_provider_and_client_keys_out_of_responses_logs_and_the_database() throws IOException {
    try (LogCapture logs = LogCapture.start(); TestProxy proxy = start()) {
      exchange(proxy, Stubs.json(200, "openai/chat-nonstream-parallel-tool-calls.json"), false, CLIENT_KEY);
      exchange(proxy, Stubs.sse("openai/chat-stream-text-include-usage.sse"), true, CLIENT_KEY);
      exchange(proxy, aResponse().withStatus(401).withHeader("Content-Type", "application/json").withBody(ECHOED_401), false, CLIENT_KEY);
      exchange(proxy, aResponse().withStatus(401).withBody(ECHOED_401), true, CLIENT_KEY);
      exchange(proxy, aResponse().withHeader("Content-Type", "text/event-stream").withBody(
          "data: {\"error\":{\"message\":\"Key " + PROVIDER_KEY + " was revoked\",\"type\":\"invalid_request_error\"}}\n\n"), true, CLIENT_KEY);
      exchange(proxy, aResponse().withStatus(500).withBody("upstream crashed while checking Bearer " + PROVIDER_KEY), false, CLIENT_KEY);
      exchange(proxy, Stubs.json(200, "openai/chat-nonstream-parallel-tool-calls.json"), false, "not-the-client-key");
      for (String path : List.of("/api/sessions", "/api/export/json", "/api/export/csv", "/api/usage", "/v1/models", "/health")) {
        seen.add(describe(proxy.send(proxy.request(path).header("Authorization", "Bearer " + CLIENT_KEY).GET().build())));
      }
      TestProxy.await(proxy.server().ledger().flush());

      for (String response : seen) assertNoKey(response, "a response");
      assertTrue(logs.lines().stream().anyMatch(l -> l.contains("Kimi Proxy listening")), "the capture sees the proxy's log");
      for (String line : logs.lines()) assertNoKey(line, "a log line");

      String database = databaseBytes(proxy.folder());
      assertTrue(database.contains("Incorrect API key provided"), "the echoed error was stored, scrubbed");
      assertNoKey(database, "the database files");
    }
  }

  private static TestProxy start() {
    return TestProxy.start("""
        [providers.test]
        base_url = "{{UPSTREAM}}/v1"
        api_key = "%s"

        [models."test/model"]
        provider = "test"
        model = "upstream-model"
        """.formatted(PROVIDER_KEY), "api_keys = [\"" + CLIENT_KEY + "\"]");
  }

  private void exchange(TestProxy proxy, ResponseDefinitionBuilder upstreamAnswer, boolean stream, String clientKey) {
    proxy.upstream().resetAll();
    proxy.upstream().stubFor(Stubs.chat().willReturn(upstreamAnswer));
    HttpResponse<String> response = proxy.send(proxy.request("/v1/chat/completions")
        .header("Authorization", "Bearer " + clientKey)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(TestProxy.chat(stream))).build());
    seen.add(describe(response));
  }

  private static String describe(HttpResponse<String> response) {
    return response.statusCode() + " " + response.headers().map() + "\n" + response.body();
  }

  /** Every file of the database (main file, WAL, shared memory) as text. */
  private static String databaseBytes(Path folder) throws IOException {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(f -> f.getFileName().toString().startsWith("test.db")).toList()) {
        all.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
      }
    }
    assertFalse(all.isEmpty(), "no database files in " + folder);
    return all.toString();
  }

  private static void assertNoKey(String text, String where) {
    assertFalse(text.contains(PROVIDER_KEY), "the provider key in " + where + ":\n" + text);
    assertFalse(text.contains(CLIENT_KEY), "the client key in " + where + ":\n" + text);
  }

  @Test
  void should_scrub_the_echoed_key_but_keep_the_rest_of_the_providers_message() {
    try (TestProxy proxy = start()) {
      proxy.upstream().stubFor(Stubs.chat().willReturn(Stubs.json(401, "openai/error-401-invalid-api-key.json").withBody(ECHOED_401)));
      HttpResponse<String> response = proxy.send(proxy.request("/v1/chat/completions")
          .header("Authorization", "Bearer " + CLIENT_KEY)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(TestProxy.chat(false))).build());
      assertEquals(401, response.statusCode());
      assertTrue(response.body().contains("Incorrect API key provided: [redacted]. You can find your API key"), response.body());
    }
  }
}
