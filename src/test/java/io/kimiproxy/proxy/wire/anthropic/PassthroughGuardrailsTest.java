package io.kimiproxy.proxy.wire.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kimiproxy.config.ConfigLoader;
import io.kimiproxy.config.ModelMapping;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.features.guardrails.ToolCall;
import io.kimiproxy.features.guardrails.ToolCallGate;
import io.kimiproxy.features.guardrails.ToolCallInspection;
import io.kimiproxy.features.guardrails.ToolCallVerdict;
import io.kimiproxy.proxy.inbound.ModelNames;
import io.kimiproxy.proxy.inbound.messages.MessagesDecoder;
import io.kimiproxy.proxy.inbound.messages.MessagesFormat;
import io.kimiproxy.proxy.sse.SseEvent;
import io.kimiproxy.proxy.stream.ClientStream;
import io.kimiproxy.proxy.wire.Chunk;
import io.kimiproxy.proxy.wire.ChunkSink;
import io.kimiproxy.proxy.wire.StreamDecoder;
import io.kimiproxy.testing.StrictAnthropicStreamChecker;
import io.kimiproxy.testing.StrictAnthropicStreamChecker.Frame;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The provider's own events to an Anthropic client, through the real guardrail gate, on a stream
 * where text follows a tool_use block: the client's events keep the provider's order whatever the
 * gate holds, and a blocked block leaves no hole in the indexes.
 */
class PassthroughGuardrailsTest {
  private static final List<String> EVENTS = List.of(
      "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude\","
          + "\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":20,\"output_tokens\":1}}}",
      "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_a\",\"name\":\"Bash\",\"input\":{}}}",
      "{\"type\":\"ping\"}",
      "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\"}}",
      "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"command\\\": \\\"rm -rf /\\\"}\"}}",
      "{\"type\":\"content_block_stop\",\"index\":0}",
      "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
      "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"And now the notes.\"}}",
      "{\"type\":\"content_block_stop\",\"index\":1}",
      "{\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_b\",\"name\":\"Write\",\"input\":{}}}",
      "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"file_path\\\": \\\"notes.md\\\"}\"}}",
      "{\"type\":\"content_block_stop\",\"index\":2}",
      "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":30}}",
      "{\"type\":\"message_stop\"}");

  /** Blocks the tools it names. */
  private record Inspection(Set<String> blocked) implements ToolCallInspection {
    @Override
    public boolean mayBlock() {
      return true;
    }

    @Override
    public ToolCallVerdict inspect(ToolCall call) {
      return blocked.contains(call.name()) ? ToolCallVerdict.block(call.name() + " (TEST)") : ToolCallVerdict.PASS;
    }
  }

  /** Runs the recorded events through decoder, gate and client writer, as the relay does, and returns what the client got. */
  private static String relay(Set<String> blocked) {
    MessagesFormat format = new MessagesFormat(new MessagesDecoder(1 << 20),
        new ModelNames(ConfigLoader.parse("", Path.of("config.toml"), Map.of()), ModelMapping.NONE));
    ChatRequest request = format.decode(Buffer.buffer("{\"model\":\"claude\",\"stream\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Clean up, then write notes.\"}]}"), null);
    ClientStream stream = format.stream(request);
    StreamDecoder decoder = ToolCallGate.around(new AnthropicPassthroughDecoder("anthropic", 1), new Inspection(blocked));
    Buffer out = Buffer.buffer();
    List<JsonObject> last = new ArrayList<>();
    ChunkSink client = new ChunkSink() {
      @Override
      public void chunk(Chunk chunk) {
        last.add(chunk.json());
        out.appendBuffer(stream.chunk(chunk));
      }

      @Override
      public void done() {
        out.appendBuffer(stream.end(last.get(last.size() - 1), new JsonObject().put("prompt_tokens", 20).put("completion_tokens", 30)));
      }

      @Override
      public void error(ProxyError error) {
        out.appendBuffer(stream.error(error));
      }
    };
    for (String event : EVENTS) {
      decoder.onEvent(new SseEvent(new JsonObject(event).getString("type"), event), client);
    }
    return out.toString();
  }

  private static List<Frame> provider() {
    return EVENTS.stream().map(e -> new Frame(new JsonObject(e).getString("type"), e)).toList();
  }

  @Test
  void should_keep_the_providers_order_and_bytes_when_every_held_call_passes() {
    assertEquals(provider(), StrictAnthropicStreamChecker.frames(relay(Set.of())));
  }

  @Test
  void should_leave_out_a_blocked_block_move_the_rest_down_and_explain_before_the_end() {
    String body = relay(Set.of("Bash"));
    StrictAnthropicStreamChecker.Result result = StrictAnthropicStreamChecker.check(body);
    assertEquals(List.of("text", "tool_use", "text"), result.blocks().stream().map(b -> b.getString("type")).toList());
    assertEquals("And now the notes.", result.blocks().get(0).getString("text"));
    assertEquals("toolu_b", result.toolCalls().get(0).getString("id"));
    assertEquals("\n\nKimi Proxy blocked a tool call: Bash (TEST). The call was removed from this answer and did not run."
        + " If it was wanted, change the guardrail rules (PUT /api/guardrails/rules) or switch guardrails off"
        + " (POST /api/guardrails/toggle) and ask again.", result.blocks().get(2).getString("text"));
    assertEquals("tool_use", result.stopReason());
  }

  @Test
  void should_end_the_turn_when_every_call_is_blocked() {
    StrictAnthropicStreamChecker.Result result = StrictAnthropicStreamChecker.check(relay(Set.of("Bash", "Write")));
    assertEquals(List.of("text", "text"), result.blocks().stream().map(b -> b.getString("type")).toList());
    assertEquals("end_turn", result.stopReason());
  }
}
