package io.kimiproxy.api.guardrails;

import static io.kimiproxy.api.guardrails.GuardrailsHarness.actions;
import static io.kimiproxy.api.guardrails.GuardrailsHarness.answerFromUpstream;
import static io.kimiproxy.api.guardrails.GuardrailsHarness.chat;
import static io.kimiproxy.api.guardrails.GuardrailsHarness.completion;
import static io.kimiproxy.api.guardrails.GuardrailsHarness.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.SharedProxy;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** GET and PUT /api/guardrails/rules, POST /api/guardrails/toggle, GET /api/guardrails/actions and /stats. */
class GuardrailsApiTest {
  @RegisterExtension
  static final SharedProxy PROXY = SharedProxy.with(GuardrailsHarness.CONFIG);
  private static JsonObject defaults;

  private static TestProxy proxy() {
    return PROXY.get();
  }

  @BeforeEach
  void startFromTheDefaultRules() {
    if (defaults == null) defaults = rules();
    GuardrailsHarness.rules(proxy(), defaults.encode());
  }

  private static JsonObject rules() {
    HttpResponse<String> response = proxy().get("/api/guardrails/rules");
    assertEquals(200, response.statusCode());
    return new JsonObject(response.body());
  }

  private static HttpResponse<String> toggle(String body) {
    return proxy().send(proxy().request("/api/guardrails/toggle").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  @Test
  void should_show_every_type_with_its_default_rule() {
    JsonObject body = rules();
    assertEquals(true, body.getBoolean("enabled"));
    JsonObject rules = body.getJsonObject("rules");
    assertEquals(java.util.Set.of("FILE_WRITE", "TERMINAL_COMMAND", "CODE_GENERATION", "TEST_EXECUTION", "CODE_REVIEW", "OTHER"),
        rules.fieldNames());
    assertEquals(new JsonObject().put("enabled", true).put("requires_confirmation", false).put("max_file_size_mb", 10.0)
        .put("allowed_patterns", new JsonArray()).put("blocked_patterns", new JsonArray().add("*.env").add("*.key").add("*secret*"))
        .put("action", "log"), rules.getJsonObject("FILE_WRITE"));
  }

  @Test
  void should_change_only_what_a_put_names() {
    HttpResponse<String> response = put(proxy(), "/api/guardrails/rules",
        "{\"rules\":{\"TERMINAL_COMMAND\":{\"action\":\"block\",\"allowed_patterns\":[\"rm -rf node_modules\"]}}}");
    assertEquals(200, response.statusCode(), response.body());
    JsonObject terminal = rules().getJsonObject("rules").getJsonObject("TERMINAL_COMMAND");
    assertEquals(new JsonObject(response.body()).getJsonObject("rules").getJsonObject("TERMINAL_COMMAND"), terminal);
    assertEquals("block", terminal.getString("action"));
    assertEquals(new JsonArray().add("rm -rf node_modules"), terminal.getJsonArray("allowed_patterns"));
    assertEquals(defaults.getJsonObject("rules").getJsonObject("TERMINAL_COMMAND").getJsonArray("blocked_patterns"),
        terminal.getJsonArray("blocked_patterns"));
    assertEquals(defaults.getJsonObject("rules").getJsonObject("FILE_WRITE"), rules().getJsonObject("rules").getJsonObject("FILE_WRITE"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"rules\":{\"SHELL\":{\"action\":\"block\"}}}",
      "{\"rules\":{\"OTHER\":{\"action\":\"deny\"}}}",
      "{\"rules\":{\"OTHER\":{\"blocked_patterns\":[\"re:([\"]}}}",
      "{\"rules\":{\"OTHER\":{\"blocked_patterns\":\"rm -rf\"}}}",
      "{\"rules\":{\"FILE_WRITE\":{\"max_file_size_mb\":-1}}}",
      "{\"rules\":{\"FILE_WRITE\":{\"actoin\":\"block\"}}}",
      "{\"enabled\":\"yes\"}",
      "{\"rules\":{\"OTHER\":{\"action\":\"block\"}},\"verbose\":true}",
      "not json",
      ""})
  void should_refuse_an_invalid_body_with_422_and_keep_the_rules(String body) {
    HttpResponse<String> response = put(proxy(), "/api/guardrails/rules", body);
    assertEquals(422, response.statusCode(), response.body());
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    assertEquals("invalid_request_error", error.getString("type"));
    assertEquals("invalid_guardrail_rules", error.getString("code"));
    assertFalse(error.getString("message").isBlank());
    assertEquals(defaults, rules());
  }

  @Test
  void should_name_the_field_that_is_wrong() {
    JsonObject error = new JsonObject(put(proxy(), "/api/guardrails/rules",
        "{\"rules\":{\"TERMINAL_COMMAND\":{\"action\":\"deny\"}}}").body()).getJsonObject("error");
    assertEquals("rules.TERMINAL_COMMAND.action: must be \"log\" or \"block\"", error.getString("message"));
  }

  @Test
  void should_switch_guardrails_off_and_on() {
    assertEquals(new JsonObject().put("enabled", false), new JsonObject(toggle("").body()));
    assertEquals(false, rules().getBoolean("enabled"));
    assertEquals(new JsonObject().put("enabled", true), new JsonObject(toggle("").body()));
    assertEquals(new JsonObject().put("enabled", false), new JsonObject(toggle("{\"enabled\":false}").body()));
    assertEquals(new JsonObject().put("enabled", false), new JsonObject(toggle("{\"enabled\":false}").body()));
    HttpResponse<String> bad = toggle("{\"enabled\":\"off\"}");
    assertEquals(422, bad.statusCode());
    assertEquals("invalid_guardrail_toggle", new JsonObject(bad.body()).getJsonObject("error").getString("code"));
  }

  @Test
  void should_list_decisions_newest_first_by_session_and_count_them() {
    GuardrailsHarness.rules(proxy(), "{\"rules\":{\"FILE_WRITE\":{\"action\":\"block\"}}}");
    String first = "api-" + UUID.randomUUID();
    String second = "api-" + UUID.randomUUID();
    answerFromUpstream(proxy(), completion("execute_command", "{\"command\":\"rm -rf /tmp/cache\"}", "read_file", "{\"path\":\"a.txt\"}"));
    chat(proxy(), "test/model", false, false, first);
    answerFromUpstream(proxy(), completion("write_to_file", "{\"path\":\".env\",\"content\":\"TOKEN=abc\"}"));
    chat(proxy(), "test/model", false, false, first);
    answerFromUpstream(proxy(), completion("execute_command", "{\"command\":\"npm test\"}"));
    chat(proxy(), "test/model", false, false, second);

    JsonArray firstActions = actions(proxy(), first);
    assertEquals(java.util.List.of("write_to_file", "read_file", "execute_command"),
        firstActions.stream().map(a -> ((JsonObject) a).getString("tool")).toList());
    JsonObject limited = new JsonObject(proxy().get("/api/guardrails/actions?session=" + first + "&limit=1").body());
    assertEquals(1, limited.getJsonArray("data").size());
    assertEquals("list", limited.getString("object"));
    assertEquals(400, proxy().get("/api/guardrails/actions?limit=0").statusCode());

    JsonObject stats = new JsonObject(proxy().get("/api/guardrails/stats?session=" + first).body());
    assertEquals(new JsonObject().put("total", 3L).put("allowed", 1L).put("flagged", 1L).put("blocked", 1L), stats.getJsonObject("total"));
    assertEquals(1L, stats.getJsonObject("by_type").getJsonObject("TERMINAL_COMMAND").getLong("flagged"));
    assertEquals(1L, stats.getJsonObject("by_type").getJsonObject("FILE_WRITE").getLong("blocked"));
    assertEquals(1L, stats.getJsonObject("by_type").getJsonObject("OTHER").getLong("allowed"));
    assertEquals(1, stats.getJsonArray("by_session").size());
    assertEquals(true, stats.getBoolean("enabled"));

    JsonObject all = new JsonObject(proxy().get("/api/guardrails/stats").body());
    JsonArray sessions = all.getJsonArray("by_session");
    assertEquals(second, sessions.getJsonObject(0).getString("session"), "most recent first");
    assertEquals(1L, sessions.getJsonObject(0).getLong("allowed"));
    assertTrue(sessions.stream().anyMatch(s -> first.equals(((JsonObject) s).getString("session"))
        && ((JsonObject) s).getLong("total") == 3L));
    assertEquals(1L, all.getJsonObject("by_type").getJsonObject("TEST_EXECUTION").getLong("allowed"));
  }
}
