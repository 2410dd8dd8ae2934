package io.kimiproxy.api.context;

import java.time.Duration;
import io.kimiproxy.testing.Poll;
import io.kimiproxy.testing.Requests;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.core.model.PromptCount;
import io.kimiproxy.core.tokens.TokenCounter;
import io.kimiproxy.testing.Sessions;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The context map and the phases of a replayed Cline session, read back through the API. */
class ContextMapApiTest {
  private static final long WINDOW = 55_000;
  private TestProxy proxy;

  @BeforeEach
  void start() {
    proxy = ContextProxy.start(WINDOW, "[sanitizer]\nenabled = false\n\n[compaction]\nauto = false\n");
  }

  @AfterEach
  void stop() {
    proxy.close();
  }

  private HttpResponse<String> turn(String session, int messages) {
    return ContextProxy.send(proxy, session, Sessions.body(Sessions.CLINE, messages, false));
  }

  @Test
  void should_store_the_latest_map_with_previews_only() throws Exception {
    HttpResponse<String> answer = turn("cline-1", 24);
    assertEquals(200, answer.statusCode(), answer.body());
    JsonObject map = mapOf("cline-1", answer);
    JsonArray messages = Sessions.body(Sessions.CLINE, 24, false).getJsonArray("messages");
    PromptCount count = new TokenCounter(1L << 24).countPrompt("test/model upstream-model", Requests.messages(messages), Requests.tools(new JsonArray()));
    assertEquals("cline-1", map.getString("session"));
    assertEquals(answer.headers().firstValue("X-Request-Id").orElseThrow(), map.getString("request_id"));
    assertEquals("test/model", map.getString("model"));
    assertEquals(WINDOW, map.getLong("max_context"));
    assertEquals(4_096, map.getLong("reserved_output"), "no max_tokens: the configured reserve");
    assertEquals(count.total(), map.getLong("prompt_tokens"));
    assertEquals((double) count.total() / WINDOW, map.getDouble("fill"), 1e-12);
    assertEquals("CONVERGENCE", map.getString("phase"), "72 % of the window");
    JsonArray parts = map.getJsonArray("parts");
    assertEquals(24, parts.size());
    assertEquals(List.of("index", "role", "kind", "tokens", "flag", "preview"), List.copyOf(parts.getJsonObject(0).fieldNames()));
    assertEquals("too_long", parts.getJsonObject(9).getString("flag"));
    assertEquals(count.perMessage()[9], parts.getJsonObject(9).getInteger("tokens"));
    for (Object p : parts) assertTrue(((JsonObject) p).getString("preview").length() <= 200);
    // The database holds numbers and previews: no line from beyond the previews of the prompt.
    assertFalse(databaseText().contains("private void onEvent(SseEvent event)"), "the database holds a whole prompt");
    // A new turn replaces the map.
    assertEquals(25, mapOf("cline-1", turn("cline-1", 25)).getJsonArray("parts").size());
  }

  /** The session's map once it is the one of this answer: maps are made after the answer, off its path. */
  private JsonObject mapOf(String session, HttpResponse<String> answer) {
    String requestId = answer.headers().firstValue("X-Request-Id").orElseThrow();
    return Poll.until(Duration.ofSeconds(10), () -> {
      HttpResponse<String> response = proxy.get("/api/sessions/" + session + "/context-map");
      return response.statusCode() == 200 ? new JsonObject(response.body()) : new JsonObject();
    }, map -> requestId.equals(map.getString("request_id")), "the context map of " + requestId);
  }

  private String databaseText() throws Exception {
    StringBuilder text = new StringBuilder();
    for (String suffix : new String[] {"", "-wal"}) {
      Path file = Path.of(proxy.databaseFile() + suffix);
      if (Files.exists(file)) text.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
    }
    return text.toString();
  }

  @Test
  void should_answer_404_in_openai_shape_without_a_map() {
    HttpResponse<String> response = proxy.get("/api/sessions/nobody/context-map");
    assertEquals(404, response.statusCode());
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    assertEquals("context_map_not_found", error.getString("code"));
    assertEquals("invalid_request_error", error.getString("type"));
  }

  @Test
  void should_change_phase_with_hysteresis_across_turns() {
    // Fills of these prefixes in a 55k window: 10 messages 53 %, 20 messages 69 %, 12 messages 56 %, 9 messages 14 %.
    int[] turns = {10, 20, 12, 9};
    String[] expected = {"EXPANSION", "CONVERGENCE", "CONVERGENCE", "EXPANSION"};
    for (int i = 0; i < turns.length; i++) {
      HttpResponse<String> answer = turn("cline-2", turns[i]);
      assertEquals(200, answer.statusCode());
      JsonObject map = mapOf("cline-2", answer);
      assertEquals(expected[i], map.getString("phase"), "turn of " + turns[i] + " messages, fill " + map.getDouble("fill"));
      JsonObject session = new JsonObject(proxy.get("/api/sessions/cline-2").body());
      assertEquals(expected[i], session.getString("phase"));
      JsonObject listed = new JsonObject(proxy.get("/api/sessions").body()).getJsonArray("data").getJsonObject(0);
      assertEquals(expected[i], listed.getString("phase"));
    }
  }

  @Test
  void should_report_memory_against_chat_tokens() {
    HttpResponse<String> answer = turn("cline-3", 25);
    assertEquals(200, answer.statusCode());
    JsonObject memory = mapOf("cline-3", answer).getJsonObject("memory");
    JsonObject session = new JsonObject(proxy.get("/api/sessions/cline-3").body()).getJsonObject("memory");
    assertTrue(memory.getLong("memory_tokens") > 20 && memory.getLong("memory_tokens") < 100, memory.encode());
    assertEquals(memory, session);
    assertEquals(memory.getLong("memory_tokens") / (double) (memory.getLong("memory_tokens") + memory.getLong("chat_tokens")),
        memory.getDouble("memory_share"), 1e-12);
  }
}
