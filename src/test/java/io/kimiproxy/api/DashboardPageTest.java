package io.kimiproxy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dashboard's files and who may fetch what, with and without client keys. */
class DashboardPageTest {
  private TestProxy proxy;

  @AfterEach
  void stop() {
    proxy.close();
  }

  @Test
  void should_serve_the_page_and_its_files() throws Exception {
    proxy = TestProxy.start();
    HttpResponse<String> page = proxy.get("/");
    assertEquals(200, page.statusCode());
    assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
    assertEquals("no-cache", page.headers().firstValue("Cache-Control").orElseThrow());
    assertTrue(page.body().contains("<script type=\"module\" src=\"app.js\">"));
    try (Stream<Path> files = Files.list(Path.of("static"))) {
      for (Path file : files.toList()) {
        HttpResponse<String> response = proxy.get("/" + file.getFileName());
        assertEquals(200, response.statusCode(), file.toString());
        if (file.toString().endsWith(".js")) {
          assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/javascript"), file.toString());
        }
      }
    }
    // Anything else is still the API's 404, in OpenAI's shape.
    HttpResponse<String> missing = proxy.get("/nothing-here.js");
    assertEquals(404, missing.statusCode());
    assertEquals("not_found", new JsonObject(missing.body()).getJsonObject("error").getString("code"));
  }

  @Test
  void should_answer_a_plain_request_to_the_socket_path_with_426() {
    proxy = TestProxy.start();
    HttpResponse<String> response = proxy.get("/ws");
    assertEquals(426, response.statusCode());
    assertEquals("upgrade_required", new JsonObject(response.body()).getJsonObject("error").getString("code"));
  }

  @Test
  void should_serve_the_page_without_a_key_but_nothing_with_data() {
    proxy = TestProxy.start(TestProxy.ONE_PROVIDER, "api_keys = [\"client-key-1\"]");
    assertEquals(200, proxy.get("/").statusCode());
    assertEquals(200, proxy.get("/app.js").statusCode());
    assertEquals(401, proxy.get("/metrics").statusCode());
    assertEquals(401, proxy.get("/api/usage/timeline").statusCode());
    assertEquals(200, proxy.send(proxy.request("/metrics").header("Authorization", "Bearer client-key-1").GET().build())
        .statusCode());
  }
}
