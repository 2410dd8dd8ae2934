package io.kimiproxy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.kimiproxy.testing.Ledger;
import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.Stubs;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** IDE clients resend the whole history each turn; the ledger must still see one conversation. */
class SessionTrackingTest {
  private static final JsonObject SYSTEM = message("system", "You are a careful coding assistant.");
  private static final JsonObject FIRST = message("user", "Why does my build fail?");

  @RegisterExtension
  static final SharedProxy PROXY = SharedProxy.standard();

  @BeforeEach
  void answer(TestProxy proxy) {
    proxy.upstream().stubFor(Stubs.chat().willReturn(Stubs.json(200, "groq/chat-nonstream-usage-timings.json")));
  }

  @Test
  void should_keep_later_turns_in_the_session_of_the_first(TestProxy proxy) {
    String first = session(chat(proxy, "Cline/3.17.0", null, new JsonArray().add(SYSTEM).add(FIRST)));
    String second = session(chat(proxy, "Cline/3.17.0", null, new JsonArray().add(SYSTEM).add(FIRST)
        .add(message("assistant", "Which error do you see?")).add(message("user", "A missing symbol."))));
    assertEquals(first, second);
  }

  @Test
  void should_start_a_new_session_for_another_system_prompt_first_message_or_client(TestProxy proxy) {
    String base = session(chat(proxy, "Continue/1.2.0", null, new JsonArray().add(SYSTEM).add(FIRST)));
    assertNotEquals(base, session(chat(proxy, "Continue/1.2.0", null,
        new JsonArray().add(message("system", "You are a poet.")).add(FIRST))));
    assertNotEquals(base, session(chat(proxy, "Continue/1.2.0", null,
        new JsonArray().add(SYSTEM).add(message("user", "Write a test.")))));
    assertNotEquals(base, session(chat(proxy, "curl/8.5.0", null, new JsonArray().add(SYSTEM).add(FIRST))));
  }

  @Test
  void should_let_the_session_header_win_over_the_fingerprint(TestProxy proxy) {
    HttpResponse<String> response = chat(proxy, "Cline/3.17.0", "ticket-4711", new JsonArray().add(SYSTEM).add(FIRST));
    assertEquals("ticket-4711", session(response));
    assertEquals("ticket-4711", Ledger.rowOf(proxy, response).getString("session"));
  }

  @Test
  void should_fill_the_context_from_the_last_request_and_sum_the_totals(TestProxy proxy) {
    JsonArray turn = new JsonArray().add(SYSTEM).add(message("user", "Explain the context fill."));
    chat(proxy, "Cline/3.17.0", null, turn); // 18 prompt tokens
    proxy.upstream().stubFor(Stubs.chat().willReturn(Stubs.json(200, "openai/chat-nonstream-parallel-tool-calls.json")));
    HttpResponse<String> last = chat(proxy, "Cline/3.17.0", null, turn.copy()
        .add(message("assistant", "It is the prompt over the window.")).add(message("user", "And the totals?"))); // 70

    JsonObject session = Ledger.sessionOf(proxy, last);
    assertEquals(2, session.getLong("request_count"));
    assertEquals(70, session.getLong("last_prompt_tokens"));
    assertEquals(70 / 1000.0, session.getDouble("context_fill"), 1e-9, "the last prompt over max_context 1000, not a sum");
    assertEquals(18 + 70, session.getLong("prompt_tokens"));
    assertEquals(43 + 46, session.getLong("completion_tokens"));
  }

  private static HttpResponse<String> chat(TestProxy proxy, String userAgent, String sessionHeader, JsonArray messages) {
    HttpRequest.Builder request = proxy.request("/v1/chat/completions").header("User-Agent", userAgent)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("model", "test/model").put("messages", messages).encode()));
    if (sessionHeader != null) request.header("X-Session-Id", sessionHeader);
    HttpResponse<String> response = proxy.send(request.build());
    assertEquals(200, response.statusCode(), response.body());
    return response;
  }

  private static String session(HttpResponse<String> response) {
    return response.headers().firstValue("X-Kimi-Proxy-Session").orElseThrow();
  }

  private static JsonObject message(String role, String content) {
    return new JsonObject().put("role", role).put("content", content);
  }
}
