package io.kimiproxy.features;

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
    assertEquals("chat-42", SessionIdentifier.identify("  chat-42 ", "cline", request("sys", "hi")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "has space", "tab\there", "ünïcode"})
  void should_fall_back_to_the_fingerprint_for_an_unusable_header(String header) {
    assertEquals(SessionIdentifier.identify(null, "cline", request("sys", "hi")),
        SessionIdentifier.identify(header, "cline", request("sys", "hi")));
  }

  @Test
  void should_fall_back_to_the_fingerprint_for_an_overlong_header() {
    String id = SessionIdentifier.identify("x".repeat(129), "cline", request("sys", "hi"));
    assertTrue(id.startsWith("s-"), id);
  }

  @Test
  void should_ignore_everything_after_the_first_user_message() {
    ChatRequest first = request("sys", "hi");
    JsonArray longer = first.messages().copy()
        .add(new JsonObject().put("role", "assistant").put("content", "hello"))
        .add(new JsonObject().put("role", "user").put("content", "more"));
    ChatRequest later = ChatRequest.fromJson(first.body().copy().put("messages", longer));
    assertEquals(SessionIdentifier.identify(null, "cline", first), SessionIdentifier.identify(null, "cline", later));
  }

  @Test
  void should_tell_apart_client_model_system_prompt_and_first_message() {
    String base = SessionIdentifier.identify(null, "cline", request("sys", "hi"));
    assertNotEquals(base, SessionIdentifier.identify(null, "continue", request("sys", "hi")));
    assertNotEquals(base, SessionIdentifier.identify(null, "cline", request("other", "hi")));
    assertNotEquals(base, SessionIdentifier.identify(null, "cline", request("sys", "bye")));
    ChatRequest otherModel = ChatRequest.fromJson(request("sys", "hi").body().copy().put("model", "b/model"));
    assertNotEquals(base, SessionIdentifier.identify(null, "cline", otherModel));
  }

  @Test
  void should_read_text_parts_and_developer_prompts_like_plain_strings() {
    JsonArray parts = new JsonArray().add(new JsonObject().put("type", "text").put("text", "h"))
        .add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", "data:,")))
        .add(new JsonObject().put("type", "text").put("text", "i"));
    ChatRequest withParts = ChatRequest.fromJson(new JsonObject().put("model", "a/model").put("messages", new JsonArray()
        .add(new JsonObject().put("role", "developer").put("content", "sys"))
        .add(new JsonObject().put("role", "user").put("content", parts))));
    assertEquals(SessionIdentifier.identify(null, "cline", request("sys", "h\ni")),
        SessionIdentifier.identify(null, "cline", withParts));
  }

  private static ChatRequest request(String system, String user) {
    return ChatRequest.fromJson(new JsonObject().put("model", "a/model").put("messages", new JsonArray()
        .add(new JsonObject().put("role", "system").put("content", system))
        .add(new JsonObject().put("role", "user").put("content", user))));
  }
}
