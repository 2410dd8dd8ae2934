package io.kimiproxy.api.governance;

import static io.kimiproxy.testing.Stubs.CHAT_PATH;
import static io.kimiproxy.testing.Stubs.calls;
import static io.kimiproxy.testing.Stubs.chat;
import static io.kimiproxy.testing.Stubs.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.OpenAiErrors;
import io.kimiproxy.testing.Poll;
import io.kimiproxy.testing.Stubs;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * POST /api/recovery/reload-config after config.toml was edited: new aliases serve at once, an
 * invalid file is refused with the reason while the running configuration keeps serving, and a
 * request in flight during the swap finishes on the configuration it started with.
 */
class ConfigReloadTest {
  // A literal key: a reload reads the process environment, where the tests' ${TEST_KEY} is not set.
  private static final String CONFIG = TestProxy.ONE_PROVIDER.replace("${TEST_KEY}", TestProxy.KEY);
  private TestProxy proxy;

  @BeforeEach
  void start() {
    proxy = TestProxy.start(CONFIG);
    proxy.upstream().stubFor(chat().willReturn(ok()));
  }

  @AfterEach
  void stop() {
    proxy.close();
  }

  private Path file() {
    return proxy.folder().resolve("config.toml");
  }

  private void edit(String from, String to) {
    try {
      String text = Files.readString(file());
      assertTrue(text.contains(from), "config.toml has " + from);
      Files.writeString(file(), text.replace(from, to));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void append(String lines) {
    try {
      Files.writeString(file(), Files.readString(file()) + "\n" + lines);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private HttpResponse<String> reload() {
    return proxy.post("/api/recovery/reload-config", "");
  }

  private List<String> upstreamModels() {
    return Stubs.received(proxy.upstream()).stream().map(b -> b.getString("model")).toList();
  }

  @Test
  void should_serve_an_alias_added_to_the_file_after_a_reload() {
    append("""
        [models."test/added"]
        provider = "test"
        model = "added-upstream-model"
        """);
    assertTrue(!proxy.get("/v1/models").body().contains("\"test/added\""), "not before the reload");
    HttpResponse<String> reloaded = reload();
    assertEquals(200, reloaded.statusCode(), reloaded.body());
    JsonObject answer = new JsonObject(reloaded.body());
    assertEquals(true, answer.getBoolean("reloaded"));
    assertEquals(2, answer.getInteger("models"));

    assertTrue(proxy.get("/v1/models").body().contains("\"test/added\""), "listed in /v1/models");
    HttpResponse<String> chat = proxy.chat("test/added", false, TestProxy.newSession());
    assertEquals(200, chat.statusCode(), chat.body());
    assertEquals(List.of("added-upstream-model"), upstreamModels());
  }

  @Test
  void should_refuse_an_invalid_file_with_the_reason_and_keep_serving_the_old_config() {
    edit("max_context = 1000", "max_context = 1000\nmax_kontext = 5");
    HttpResponse<String> refused = reload();
    JsonObject error = OpenAiErrors.assertError(refused, 422, "invalid_request_error");
    assertEquals("invalid_config", error.getString("code"));
    assertTrue(error.getString("message").contains("max_kontext"), "the reason names the key: " + error);

    HttpResponse<String> chat = proxy.chat("test/model", false, TestProxy.newSession());
    assertEquals(200, chat.statusCode(), chat.body());
    assertEquals(List.of("upstream-model"), upstreamModels());
  }

  @Test
  void should_finish_a_request_in_flight_on_the_old_route_while_the_next_takes_the_new_one() {
    proxy.upstream().stubFor(chat().willReturn(ok().withFixedDelay(2500)));
    CompletableFuture<HttpResponse<String>> inFlight = proxy.http().sendAsync(
        proxy.request("/v1/chat/completions").header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(TestProxy.chat(false))).build(),
        HttpResponse.BodyHandlers.ofString());
    Poll.until(Duration.ofSeconds(10), () -> calls(proxy.upstream(), CHAT_PATH), n -> n == 1,
        "the first request to reach the provider");

    edit("model = \"upstream-model\"", "model = \"upstream-model-v2\"");
    HttpResponse<String> reloaded = reload();
    assertEquals(200, reloaded.statusCode(), reloaded.body());

    HttpResponse<String> old = inFlight.join();
    assertEquals(200, old.statusCode(), old.body());
    HttpResponse<String> next = proxy.chat("test/model", false, TestProxy.newSession());
    assertEquals(200, next.statusCode(), next.body());
    assertEquals(List.of("upstream-model", "upstream-model-v2"), upstreamModels());
  }
}
