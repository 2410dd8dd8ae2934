package io.kimiproxy.features.clients;

import io.kimiproxy.testing.Requests;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.core.util.Secret;
import io.kimiproxy.core.util.SecretScrubber;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskPreviewTest {
  private static final SecretScrubber SCRUBBER = new SecretScrubber(List.of(Secret.ofNullable("my-own-proxy-key-42")));

  private static ChatRequest request(JsonArray messages) {
    return Requests.chat(new JsonObject().put("model", "m").put("messages", messages));
  }

  private static JsonObject message(String role, Object content) {
    return new JsonObject().put("role", role).put("content", content);
  }

  @Test
  void should_show_the_start_of_the_latest_user_message() {
    ChatRequest req = request(new JsonArray()
        .add(message("system", "You are Cline"))
        .add(message("user", "first question"))
        .add(message("assistant", "an answer"))
        .add(message("user", "  Fix the\n\nflaky   test in LogTailTest  "))
        .add(message("tool", "tool output")));

    assertEquals("Fix the flaky test in LogTailTest", previewOf(req));
  }

  @Test
  void should_read_text_parts_and_skip_user_messages_without_text() {
    ChatRequest req = request(new JsonArray()
        .add(message("user", new JsonArray().add(new JsonObject().put("type", "text").put("text", "<task>Add docs</task>"))
            .add(new JsonObject().put("type", "text").put("text", "for the importers"))))
        .add(message("user", new JsonArray().add(new JsonObject().put("type", "image_url")
            .put("image_url", new JsonObject().put("url", "data:image/png;base64,AAAA"))))));

    assertEquals("<task>Add docs</task> for the importers", previewOf(req));
    assertNull(previewOf(request(new JsonArray().add(message("system", "only a system prompt")))));
  }

  @Test
  void should_show_claude_codes_task_and_not_the_reminders_it_puts_before_it() {
    ChatRequest req = request(new JsonArray().add(message("user", new JsonArray()
        .add(new JsonObject().put("type", "text").put("text", "<system-reminder>\nAttribution for git commits</system-reminder>\n"))
        .add(new JsonObject().put("type", "text").put("text", "Create a file named hello.txt")))));

    assertEquals("Create a file named hello.txt", previewOf(req));
  }

  @Test
  void should_cut_a_long_message_to_the_preview_length() {
    String preview = TaskPreview.preview("word ".repeat(100), SCRUBBER);

    assertEquals(TaskPreview.LENGTH, preview.length());
    assertTrue(preview.endsWith("…"));
  }

  @Test
  void should_redact_key_shapes_and_configured_keys_before_cutting() {
    String text = "use sk-proj-Zx81mQ2w9vLr0aTq44NcY and ghp_abcdefghijklmnop1234 with password: hunter2 "
        + "token=abc AKIAABCDEFGHIJKLMNOP my-own-proxy-key-42 3f9a1c0e7b2d4a6f8e0c1b3d5f7a9e2c4b6d8f0a";

    String preview = TaskPreview.preview(text, SCRUBBER);

    for (String secret : List.of("Zx81mQ2w9v", "ghp_abc", "hunter2", "token=abc", "AKIAABCD", "my-own-proxy-key", "3f9a1c0e7b")) {
      assertFalse(preview.contains(secret), secret + " in " + preview);
    }
    assertTrue(preview.startsWith("use [redacted] and [redacted] with password: [redacted]"), preview);
  }

  @Test
  void should_not_let_a_key_at_the_edge_of_what_is_read_survive_half_cut() {
    // Cut in the middle, the token would be too short for its shape: "ghp_" and ten characters.
    String text = " ".repeat(1990) + "ghp_" + "a".repeat(36);

    String preview = TaskPreview.preview(text, SCRUBBER);

    assertFalse(preview.contains("ghp_"), preview);
  }

  private static String previewOf(ChatRequest request) {
    String head = TaskPreview.head(request);
    return head == null ? null : TaskPreview.preview(head, SCRUBBER);
  }
}
