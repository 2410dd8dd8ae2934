package io.kimiproxy.api.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.Sessions;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What leaves the machine after the sanitizer, as WireMock received it, and the sanitizer's API. */
class SanitizerApiTest {
  private static final Pattern REFERENCE = Pattern.compile("kp:mask/([0-9a-f]{24})");
  private static final List<String> FAKE_SECRETS = List.of("sk-kimiLocal9f8e7d6c5b4a3928171615141312111009",
      "gsk_7Qm2Zp9Lx4Rt8Wv1Ys6Un3Kb5Hd0Jf2Ga9Ce4", "AKIAIOSFODNN7EXAMPLE", "S3cr3t-Passw0rd",
      "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8", "xoxb-2213-8841-Qw3Er5Ty7Ui9Op1As3Df");
  private TestProxy proxy;

  @BeforeEach
  void start() {
    proxy = ContextProxy.start(262_144, "[compaction]\nauto = false\n");
  }

  @AfterEach
  void stop() {
    proxy.close();
  }

  private HttpResponse<String> send(String session, JsonObject body) {
    return ContextProxy.send(proxy, session, body);
  }

  private JsonObject lastUpstreamBody() {
    return ContextProxy.lastUpstreamBody(proxy);
  }

  @Test
  void should_send_masked_and_redacted_messages_and_serve_the_originals() {
    JsonObject body = Sessions.body(Sessions.CLINE, 25, false);
    assertEquals(200, send("cline-s", body).statusCode());
    JsonObject upstream = lastUpstreamBody();
    String sent = upstream.encode();
    for (String secret : FAKE_SECRETS) assertFalse(sent.contains(secret), secret + " left the machine");
    JsonArray messages = upstream.getJsonArray("messages");
    assertEquals(25, messages.size());
    Matcher m = REFERENCE.matcher(sent);
    int references = 0;
    while (m.find()) {
      references++;
      JsonObject original = new JsonObject(proxy.get("/api/mask/" + m.group(1)).body());
      assertTrue(original.getInteger("tokens") > 1000);
      assertEquals("cline-s", original.getString("session"));
      assertTrue(clientTexts(body).contains(original.getString("content")), "the stored original is the text the client sent");
    }
    assertEquals(7, references);
    // The groq dump (message 9) is now a marker of a few lines instead of 21,000 tokens.
    String groq = messages.getJsonObject(9).getJsonArray("content").getJsonObject(1).getString("text");
    assertTrue(groq.startsWith("[kimi-proxy masked this output: "), groq);
    assertTrue(groq.length() < 500);
    assertEquals(body.getJsonArray("messages").getJsonObject(24), messages.getJsonObject(24), "the latest user message as sent");

    JsonObject stats = new JsonObject(proxy.get("/api/sanitizer/stats").body());
    assertEquals(true, stats.getBoolean("enabled"));
    assertEquals(7, stats.getLong("masked"));
    assertEquals(9, stats.getLong("secrets_redacted"));
    assertTrue(stats.getLong("tokens_saved") > 30_000, stats.encode());
    assertEquals(stats.getLong("tokens_saved"), stats.getJsonObject("by_session").getJsonObject("cline-s").getLong("tokens_saved"));
  }

  private static List<String> clientTexts(JsonObject body) {
    List<String> texts = new java.util.ArrayList<>();
    for (Object m : body.getJsonArray("messages")) {
      Object content = ((JsonObject) m).getValue("content");
      if (content instanceof String s) texts.add(s);
      if (content instanceof JsonArray parts) parts.forEach(p -> texts.add(((JsonObject) p).getString("text")));
    }
    return texts;
  }

  @Test
  void should_keep_tool_pairs_of_a_continue_session() {
    JsonObject body = Sessions.body(Sessions.CONTINUE, 33, false);
    HttpResponse<String> response = send("continue-s", body);
    assertEquals(200, response.statusCode());
    JsonArray sent = lastUpstreamBody().getJsonArray("messages");
    JsonArray original = body.getJsonArray("messages");
    assertEquals(original.size(), sent.size());
    for (int i = 0; i < sent.size(); i++) {
      JsonObject s = sent.getJsonObject(i);
      JsonObject o = original.getJsonObject(i);
      assertEquals(o.getString("role"), s.getString("role"));
      assertEquals(o.getString("tool_call_id"), s.getString("tool_call_id"));
      assertEquals(o.getValue("tool_calls"), s.getValue("tool_calls"), "tool calls travel unchanged");
    }
    assertTrue(sent.encode().contains("kp:mask/"));
  }

  @Test
  void should_switch_at_runtime() {
    HttpResponse<String> off = proxy.post("/api/sanitizer/toggle", "");
    assertEquals(200, off.statusCode(), off.body());
    assertEquals(new JsonObject().put("enabled", false), new JsonObject(off.body()));
    JsonObject body = Sessions.body(Sessions.CLINE, 25, false);
    assertEquals(200, send("cline-off", body).statusCode());
    assertEquals(body.getJsonArray("messages"), lastUpstreamBody().getJsonArray("messages"), "nothing changed while off");
    assertEquals(new JsonObject().put("enabled", true), new JsonObject(proxy.post("/api/sanitizer/toggle", "{\"enabled\":true}").body()));
    assertEquals(true, new JsonObject(proxy.get("/api/sanitizer/stats").body()).getBoolean("enabled"));
    assertEquals(200, send("cline-on", body).statusCode());
    assertTrue(lastUpstreamBody().encode().contains("kp:mask/"));
    assertEquals(400, proxy.post("/api/sanitizer/toggle", "{\"enabled\":\"yes\"}").statusCode());
  }

  @Test
  void should_answer_404_for_an_unknown_mask() {
    HttpResponse<String> response = proxy.get("/api/mask/0123456789abcdef01234567");
    assertEquals(404, response.statusCode());
    assertEquals("mask_not_found", new JsonObject(response.body()).getJsonObject("error").getString("code"));
  }
}
