package io.kimiproxy.proxy.inbound.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.core.model.ContentForm;
import io.kimiproxy.core.model.Part;
import io.kimiproxy.core.model.Role;
import io.kimiproxy.core.model.ToolChoice;
import io.kimiproxy.testing.Fixtures;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChatCompletionsDecoderTest {
  private final ChatCompletionsDecoder decoder = new ChatCompletionsDecoder(1 << 20);

  private ChatRequest decode(String body) {
    return decoder.decode(Buffer.buffer(body));
  }

  @Test
  void should_read_model_stream_usage_tools_and_messages_from_a_recorded_request() {
    ChatRequest request = decoder.decode(Buffer.buffer(Fixtures.bytes("openai/chat-stream-parallel-tool-calls-include-usage.request.json")));
    assertEquals("gpt-4o", request.model());
    assertTrue(request.stream());
    assertTrue(request.includeUsage());
    assertEquals(2, request.messages().size());
    assertEquals(1, request.tools().definitions().size());
    assertNotNull(request.raw(), "the client's bytes stay for splicing");
  }

  @Test
  void should_default_to_no_stream_no_usage_and_no_tools() {
    ChatRequest request = decode("  \n{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertFalse(request.stream());
    assertFalse(request.includeUsage());
    assertTrue(request.tools().isEmpty());
    assertEquals(Role.USER, request.messages().get(0).role());
    assertEquals(ContentForm.STRING, request.messages().get(0).form());
  }

  @Test
  void should_read_options_into_the_neutral_model() {
    ChatRequest request = decode("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
        + "\"max_completion_tokens\":300,\"temperature\":0,\"stop\":\"END\",\"tool_choice\":\"required\","
        + "\"reasoning_effort\":\"high\",\"n\":1,\"x\":{\"y\":[1]}}");
    assertEquals(300L, request.options().maxTokens());
    assertEquals(0.0, request.options().temperature());
    assertEquals(java.util.List.of("END"), request.options().stop());
    assertEquals(ToolChoice.REQUIRED, request.options().toolChoice());
    assertEquals("high", request.options().reasoningEffort());
    assertTrue(request.options().deterministic());
    assertNotNull(request.raw().field("x"), "fields the model does not name stay in the client's bytes");
  }

  @Test
  void should_decode_parts_tool_calls_and_reasoning() {
    ChatRequest request = decode("{\"model\":\"m\",\"messages\":["
        + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"see\",\"cache_control\":{\"type\":\"ephemeral\"}},"
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x/a.png\",\"detail\":\"low\"}}]},"
        + "{\"role\":\"assistant\",\"content\":null,\"reasoning_content\":\"hmm\",\"tool_calls\":[{\"id\":\"c1\","
        + "\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}],\"partial\":true},"
        + "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"ok\"}]}");
    var user = request.messages().get(0);
    assertEquals("ephemeral", ((Part.Text) user.content().get(0)).cacheControl().getString("type"));
    assertEquals("low", ((Part.Image) user.content().get(1)).detail());
    var assistant = request.messages().get(1);
    assertEquals(ContentForm.NONE, assistant.form());
    assertEquals("f", assistant.toolCalls().get(0).name());
    assertEquals("hmm", assistant.reasoning().get(0).text());
    assertEquals(true, assistant.extra().getValue("partial"), "unknown message fields travel on");
    assertEquals("c1", request.messages().get(2).toolCallId());
  }

  @Test
  void should_decode_a_resent_message_once() {
    String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"the same history\"}]}";
    assertSame(decode(body).messages().get(0), decode(body).messages().get(0));
  }

  @Test
  void should_not_see_include_usage_on_a_request_that_turned_it_off() {
    assertFalse(decode("{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":false},"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").includeUsage());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''|",
      "[]|",
      "{\"model\":\"m\",|",
      "{\"model\":\"m\", /* a comment */ \"messages\":[]}|",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"},]}|",
      "{'model':'m'}|",
      "{\"model\":\"m\",\"n\":NaN}|",
      "{\"model\":\"m\",\"n\":01}|",
      "{\"model\":\"m\"} trailing|",
      "{\"messages\":[{\"role\":\"user\"}]}|model",
      "{\"model\":\"\",\"messages\":[{\"role\":\"user\"}]}|model",
      "{\"model\":7,\"messages\":[{\"role\":\"user\"}]}|model",
      "{\"model\":\"m\"}|messages",
      "{\"model\":\"m\",\"messages\":[]}|messages",
      "{\"model\":\"m\",\"messages\":[\"hi\"]}|messages",
      "{\"model\":\"m\",\"messages\":[{\"content\":\"hi\"}]}|messages",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"boss\"}]}|messages",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"stream\":\"yes\"}|stream",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"max_tokens\":1e30}|max_tokens",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"max_tokens\":12.5}|max_tokens",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"max_tokens\":0}|max_tokens",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"max_tokens\":\"100\"}|max_tokens",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"n\":1000}|n",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"stop\":[1]}|stop",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"tool_choice\":\"always\"}|tool_choice",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"tools\":{}}|tools",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"tools\":[{\"type\":\"function\"}]}|tools"})
  void should_refuse_invalid_requests_with_400(String body, String param) {
    ProxyError error = assertThrows(ProxyError.class, () -> decode(body));
    assertEquals(400, error.status());
    assertEquals("invalid_request_error", error.type());
    assertEquals(param, error.param());
    assertFalse(error.getMessage().contains("\n"), error.getMessage());
    assertFalse(error.getMessage().contains("jackson"), error.getMessage());
  }

  @Test
  void should_refuse_nesting_deeper_than_the_bound_without_overflowing_the_stack() {
    String deep = "[".repeat(100_000);
    ProxyError error = assertThrows(ProxyError.class,
        () -> decode("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":" + deep + "}]}"));
    assertTrue(error.getMessage().contains("nested deeper"), error.getMessage());
  }

  @Test
  void should_refuse_invalid_utf8_in_a_string() {
    byte[] body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x?\"}]}".getBytes();
    body[body.length - 5] = (byte) 0xC0;
    ProxyError error = assertThrows(ProxyError.class, () -> decoder.decode(Buffer.buffer(body)));
    assertTrue(error.getMessage().contains("UTF-8"), error.getMessage());
  }
}
