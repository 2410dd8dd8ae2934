package io.kimiproxy.features;

import io.kimiproxy.testing.Requests;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.features.session.SessionIdentifier;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionIdentifierTest {

  @Test
  void should_use_the_trimmed_header_when_it_is_usable() {
    assertEquals("chat-42", SessionIdentifier.identify("cline", request("sys", "hi"), "  chat-42 "));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "has space", "tab\there", "ünïcode"})
  void should_fall_back_to_the_fingerprint_for_an_unusable_header(String header) {
    assertEquals(SessionIdentifier.identify("cline", request("sys", "hi"), null),
        SessionIdentifier.identify("cline", request("sys", "hi"), header));
  }

  @Test
  void should_fall_back_to_the_fingerprint_for_an_overlong_header() {
    String id = SessionIdentifier.identify("cline", request("sys", "hi"), "x".repeat(129));
    assertTrue(id.startsWith("s-"), id);
  }

  @Test
  void should_ignore_everything_after_the_first_user_message() {
    ChatRequest first = request("sys", "hi");
    ChatRequest later = Requests.chat("a/model", new JsonArray()
        .add(new JsonObject().put("role", "system").put("content", "sys"))
        .add(new JsonObject().put("role", "user").put("content", "hi"))
        .add(new JsonObject().put("role", "assistant").put("content", "hello"))
        .add(new JsonObject().put("role", "user").put("content", "more")));
    assertEquals(SessionIdentifier.identify("cline", first), SessionIdentifier.identify("cline", later));
  }

  @Test
  void should_tell_apart_client_model_system_prompt_and_first_message() {
    String base = SessionIdentifier.identify("cline", request("sys", "hi"), null);
    assertNotEquals(base, SessionIdentifier.identify("continue", request("sys", "hi"), null));
    assertNotEquals(base, SessionIdentifier.identify("cline", request("other", "hi"), null));
    assertNotEquals(base, SessionIdentifier.identify("cline", request("sys", "bye"), null));
    ChatRequest otherModel = request("sys", "hi").withModel("b/model");
    assertNotEquals(base, SessionIdentifier.identify("cline", otherModel));
  }

  @Test
  void should_take_the_first_usable_id_before_the_fingerprint() {
    assertEquals("claude-session", SessionIdentifier.identify("claude-code", request("sys", "hi"), null, " ",
        "claude-session", "later-id"));
  }

  @Test
  void should_read_text_parts_and_developer_prompts_like_plain_strings() {
    JsonArray parts = new JsonArray().add(new JsonObject().put("type", "text").put("text", "h"))
        .add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", "data:,")))
        .add(new JsonObject().put("type", "text").put("text", "i"));
    ChatRequest withParts = Requests.chat(new JsonObject().put("model", "a/model").put("messages", new JsonArray()
        .add(new JsonObject().put("role", "developer").put("content", "sys"))
        .add(new JsonObject().put("role", "user").put("content", parts))));
    assertEquals(SessionIdentifier.identify("cline", request("sys", "h\ni"), null),
        SessionIdentifier.identify("cline", withParts));
  }

  private static ChatRequest request(String system, String user) {
    return Requests.chat(new JsonObject().put("model", "a/model").put("messages", new JsonArray()
        .add(new JsonObject().put("role", "system").put("content", system))
        .add(new JsonObject().put("role", "user").put("content", user))));
  }
}
