package io.kimiproxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.testing.Fixtures;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChatRequestTest {

  @Test
  void should_read_model_stream_and_include_usage_from_a_recorded_request() {
    ChatRequest request = ChatRequest.parse(Buffer.buffer(Fixtures.bytes("openai/chat-stream-parallel-tool-calls-include-usage.request.json")));
    assertEquals("gpt-4o", request.model());
    assertTrue(request.stream());
    assertTrue(request.includeUsage());
    assertEquals(2, request.messages().size());
    assertEquals(1, request.tools().size());
  }

  @Test
  void should_default_to_no_stream_no_usage_and_no_tools() {
    ChatRequest request = ChatRequest.parse(Buffer.buffer("  \n{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    assertFalse(request.stream());
    assertFalse(request.includeUsage());
    assertTrue(request.tools().isEmpty());
  }

  @Test
  void should_keep_unknown_fields_in_the_body() {
    ChatRequest request = ChatRequest.parse(Buffer.buffer(
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"reasoning_effort\":\"high\",\"x\":{\"y\":[1]}}"));
    assertEquals("high", request.body().getString("reasoning_effort"));
    assertEquals(1, request.body().getJsonObject("x").getJsonArray("y").getInteger(0));
  }

  @Test
  void should_not_see_include_usage_on_a_request_that_turned_it_off() {
    assertFalse(ChatRequest.parse(Buffer.buffer("{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":false},"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).includeUsage());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''|",
      "[]|",
      "{\"model\":\"m\",|",
      "{\"messages\":[{\"role\":\"user\"}]}|model",
      "{\"model\":\"\",\"messages\":[{\"role\":\"user\"}]}|model",
      "{\"model\":7,\"messages\":[{\"role\":\"user\"}]}|model",
      "{\"model\":\"m\"}|messages",
      "{\"model\":\"m\",\"messages\":[]}|messages",
      "{\"model\":\"m\",\"messages\":[\"hi\"]}|messages",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"stream\":\"yes\"}|stream"})
  void should_refuse_invalid_requests_with_400(String body, String param) {
    ProxyError error = assertThrows(ProxyError.class, () -> ChatRequest.parse(Buffer.buffer(body)));
    assertEquals(400, error.status());
    assertEquals("invalid_request_error", error.type());
    assertEquals(param, error.param());
    assertFalse(error.getMessage().contains("\n"), error.getMessage());
  }
}
