package io.kimiproxy.features.sanitizer;

import io.kimiproxy.core.model.MessageList;
import io.kimiproxy.testing.Requests;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.config.SanitizerConfig;
import io.kimiproxy.core.tokens.TokenCounter;
import io.kimiproxy.core.util.ContentHash;
import io.kimiproxy.testing.Sessions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SanitizerTest {
  private static final String MODEL = "test/model";
  static final List<String> FAKE_SECRETS = List.of("sk-kimiLocal9f8e7d6c5b4a3928171615141312111009",
      "gsk_7Qm2Zp9Lx4Rt8Wv1Ys6Un3Kb5Hd0Jf2Ga9Ce4", "nvapi-Xy7_Kq2-Lm9Pn4Rs8Tv1Wz6Ab3Cd5Ef0Gh2Ij",
      "AIzaSyD4f9Kx2Lm8Pq7Rs1Tu6Vw3Xy5Za0Bc9De", "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8", "AKIAIOSFODNN7EXAMPLE",
      "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "S3cr3t-Passw0rd", "xoxb-2213-8841-Qw3Er5Ty7Ui9Op1As3Df");
  private static final Pattern MARKER = Pattern.compile(
      "^\\[kimi-proxy masked this output: (\\d+) tokens, (\\d+) lines; original at kp:mask/([0-9a-f]{24})]\\n");

  private final TokenCounter tokens = new TokenCounter(1L << 24);

  private Sanitizer sanitizer(SanitizerConfig config) {
    return new Sanitizer(config, new SecretRedactor(List.of()), tokens, 1L << 24);
  }

  private static String text(JsonObject message) {
    Object content = message.getValue("content");
    if (content instanceof String s) return s;
    return ((JsonArray) content).getJsonObject(((JsonArray) content).size() - 1).getString("text");
  }

  @Test
  void should_mask_old_cline_tool_results_and_keep_what_the_model_works_on() {
    JsonArray messages = Sessions.messages(Sessions.CLINE);
    Sanitizer.Result result = sanitizer(SanitizerConfig.DEFAULTS).apply("s", 7L, Requests.messages(messages), MODEL);
    JsonArray out = Requests.json(result.messages());
    assertEquals(messages.size(), out.size());
    Set<Integer> masked = Set.of(3, 5, 7, 9, 11, 15, 19);
    for (int i = 0; i < out.size(); i++) {
      JsonObject sent = out.getJsonObject(i);
      JsonObject original = messages.getJsonObject(i);
      assertEquals(original.getString("role"), sent.getString("role"));
      boolean isMasked = MARKER.matcher(text(sent)).find();
      assertEquals(masked.contains(i), isMasked, "message " + i + ": " + text(sent).substring(0, Math.min(80, text(sent).length())));
      if (isMasked) checkMarker(text(original), text(sent));
    }
    // The first user message (the task), the last two tool results and the latest user message are as sent.
    for (int i : new int[] {1, 21, 23, 24}) assertEquals(messages.getJsonObject(i), out.getJsonObject(i));
    assertEquals(7, result.counts().masked());
    assertEquals(7, result.masked().size());
    long saved = 0;
    for (MaskedOutput m : result.masked()) {
      assertEquals(ContentHash.sha256Hex(m.content()).substring(0, 24), m.hash());
      assertEquals(tokens.countText(MODEL, m.content()), m.tokens());
      assertTrue(m.tokens() > 1000);
      assertEquals("s", m.sessionId());
      assertEquals(7L, m.createdMs());
    }
    for (int i : masked) saved += tokens.countText(MODEL, text(messages.getJsonObject(i))) - tokens.countText(MODEL, text(out.getJsonObject(i)));
    assertEquals(saved, result.counts().tokensSaved());
    // The .env read (index 13) is too small to mask, but its secrets are gone.
    assertTrue(text(out.getJsonObject(13)).contains("[REDACTED:"));
    String sent = out.encode();
    for (String secret : FAKE_SECRETS) assertFalse(sent.contains(secret), secret);
    assertEquals(9, result.counts().secretsRedacted());
  }

  private static void checkMarker(String original, String marker) {
    Matcher m = MARKER.matcher(marker);
    assertTrue(m.find(), marker);
    assertEquals(ContentHash.sha256Hex(original).substring(0, 24), m.group(3));
    String preview = marker.substring(m.end(), marker.lastIndexOf("\n[… "));
    assertTrue(preview.length() <= 200, preview);
    assertTrue(original.startsWith(preview), "the preview is the start of the original");
    char next = original.charAt(preview.length());
    assertTrue(next == '\n' || Character.isWhitespace(next), "the preview ends at a line boundary: " + preview);
  }

  @Test
  void should_keep_every_tool_call_paired_with_its_result() {
    JsonArray messages = Sessions.messages(Sessions.CONTINUE);
    JsonArray out = Requests.json(sanitizer(SanitizerConfig.DEFAULTS).apply("s", 1L, Requests.messages(messages), MODEL).messages());
    int maskedResults = 0;
    for (int i = 0; i < out.size(); i++) {
      JsonObject m = out.getJsonObject(i);
      if (m.getValue("tool_calls") instanceof JsonArray calls) {
        assertEquals(messages.getJsonObject(i).getJsonArray("tool_calls").getJsonObject(0).getString("id"),
            calls.getJsonObject(0).getString("id"));
        JsonObject result = out.getJsonObject(i + 1);
        assertEquals("tool", result.getString("role"));
        assertEquals(calls.getJsonObject(0).getString("id"), result.getString("tool_call_id"));
        if (MARKER.matcher(result.getString("content")).find()) maskedResults++;
      }
    }
    assertEquals(6, maskedResults, "the pytest log, four source files and the jest log");
    assertEquals(messages.getJsonObject(out.size() - 2), out.getJsonObject(out.size() - 2), "the last tool result");
    assertEquals(messages.getJsonObject(1), out.getJsonObject(1), "the first user message with its attachment");
  }

  @Test
  void should_give_the_same_markers_every_turn_and_respect_the_settings() {
    JsonArray messages = Sessions.messages(Sessions.CLINE);
    Sanitizer sanitizer = sanitizer(new SanitizerConfig(true, 2_000, 80, 4, false));
    JsonArray first = Requests.json(sanitizer.apply("s", 1L, Requests.messages(messages), MODEL).messages());
    assertEquals(first, Requests.json(sanitizer(new SanitizerConfig(true, 2_000, 80, 4, false)).apply("s", 2L, Requests.messages(messages), MODEL).messages()));
    assertEquals(messages.getJsonObject(15), first.getJsonObject(15), "keep_last_tool_results = 4 keeps 15, 17, 21, 23 ");
    assertNotEquals(messages.getJsonObject(9), first.getJsonObject(9));
    assertEquals(messages.getJsonObject(3), first.getJsonObject(3), "1692 tokens is under the 2000 threshold");
    String preview = text(first.getJsonObject(9)).split("\n", 2)[1];
    assertTrue(preview.indexOf("\n[… ") <= 80, preview);
    assertTrue(first.encode().contains("sk-kimiLocal"), "redact_secrets = false leaves secrets");
  }

  @Test
  void should_change_nothing_when_switched_off() {
    Sanitizer sanitizer = sanitizer(SanitizerConfig.DEFAULTS);
    assertFalse(sanitizer.toggle(null));
    MessageList messages = Requests.messages(Sessions.messages(Sessions.CLINE));
    assertSame(messages, sanitizer.apply("s", 1L, messages, MODEL).messages());
    assertTrue(sanitizer.toggle(true));
    assertFalse(sanitizer.toggle(false));
  }
}
