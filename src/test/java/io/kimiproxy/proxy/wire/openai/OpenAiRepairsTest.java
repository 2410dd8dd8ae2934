package io.kimiproxy.proxy.wire.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.config.ConfigLoader;
import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.proxy.routing.ModelResolver;
import io.kimiproxy.proxy.routing.Route;
import io.kimiproxy.proxy.sse.SseEvent;
import io.kimiproxy.proxy.wire.Chunk;
import io.kimiproxy.proxy.wire.ChunkSink;
import io.kimiproxy.proxy.wire.NonStreamReply;
import io.kimiproxy.testing.StrictStreamChecker;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Shapes of compatible servers that no recorded fixture covers, described in tests-data/fixtures/README.md. */
class OpenAiRepairsTest {
  private static final String HEAD = "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[";

  /** Decodes data payloads as the relay would and returns what the client would receive. */
  private static List<String> decode(String... payloads) {
    OpenAiStreamDecoder decoder = new OpenAiStreamDecoder("p");
    List<String> out = new ArrayList<>();
    ChunkSink sink = new ChunkSink() {
      @Override public void chunk(Chunk chunk) { out.add(chunk.wire()); }
      @Override public void done() { out.add("[DONE]"); }
      @Override public void error(ProxyError error) { out.add(error.toJson().encode()); }
    };
    for (String payload : payloads) decoder.onEvent(new SseEvent(null, payload), sink);
    return out;
  }

  private static String delta(String delta, String finish) {
    return HEAD + "{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finish + "}]}";
  }

  @Test
  void should_index_mistral_parallel_tool_calls_sent_whole_without_index_or_type() {
    List<String> events = decode(
        delta("{\"role\":\"assistant\",\"content\":\"\"}", "null"),
        delta("{\"tool_calls\":[{\"id\":\"aB3dE5gH7\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\": \\\"Paris\\\"}\"}},"
            + "{\"id\":\"Zx9Yw8Vu7\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\": \\\"Rome\\\"}\"}}]}", "null"),
        delta("{\"content\":\"\"}", "\"tool_calls\""),
        "[DONE]");
    StrictStreamChecker.Result result = StrictStreamChecker.check(events, false);
    assertEquals(2, result.toolCalls().size());
    assertEquals("aB3dE5gH7", result.toolCalls().get(0).getString("id"));
    assertEquals("Rome", result.toolCalls().get(1).getJsonObject("arguments").getString("city"));
    JsonArray calls = new JsonObject(events.get(1)).getJsonArray("choices").getJsonObject(0)
        .getJsonObject("delta").getJsonArray("tool_calls");
    assertEquals(0, calls.getJsonObject(0).getInteger("index"));
    assertEquals(1, calls.getJsonObject(1).getInteger("index"));
    assertEquals("function", calls.getJsonObject(1).getString("type"));
  }

  @Test
  void should_give_empty_tool_call_ids_a_stable_generated_id() {
    List<String> events = decode(
        delta("{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,\"id\":\"\",\"type\":\"function\",\"function\":{\"name\":\"add\",\"arguments\":\"{\\\"a\\\":\"}}]}", "null"),
        delta("{\"tool_calls\":[{\"index\":0,\"id\":\"\",\"function\":{\"arguments\":\"1}\"}}]}", "null"),
        delta("{\"tool_calls\":[{\"index\":1,\"id\":\"\",\"type\":\"function\",\"function\":{\"name\":\"mul\",\"arguments\":\"{}\"}}]}", "\"stop\""),
        "[DONE]");
    StrictStreamChecker.Result result = StrictStreamChecker.check(events, false);
    String first = result.toolCalls().get(0).getString("id");
    String second = result.toolCalls().get(1).getString("id");
    assertTrue(first.matches("call_[0-9a-f]{8}_0"), first);
    assertTrue(second.matches("call_[0-9a-f]{8}_1"), second);
    assertEquals(1, result.toolCalls().get(0).getJsonObject("arguments").getInteger("a"));
    // The repeat of an empty id on a continuation is dropped rather than read as another call.
    JsonObject continuation = new JsonObject(events.get(1)).getJsonArray("choices").getJsonObject(0)
        .getJsonObject("delta").getJsonArray("tool_calls").getJsonObject(0);
    assertTrue(!continuation.containsKey("id"), continuation.encode());
  }

  @Test
  void should_open_a_new_call_when_a_new_id_arrives_at_an_index_in_use() {
    List<String> events = decode(
        delta("{\"tool_calls\":[{\"index\":0,\"id\":\"a\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}", "null"),
        delta("{\"tool_calls\":[{\"index\":0,\"id\":\"b\",\"type\":\"function\",\"function\":{\"name\":\"g\",\"arguments\":\"{}\"}}]}", "\"tool_calls\""),
        "[DONE]");
    List<JsonObject> calls = StrictStreamChecker.check(events, false).toolCalls();
    assertEquals(List.of("a", "b"), calls.stream().map(c -> c.getString("id")).toList());
  }

  @Test
  void should_copy_reasoning_into_reasoning_content_and_keep_both() {
    List<String> events = decode(delta("{\"role\":\"assistant\",\"content\":\"\",\"reasoning\":\"think\"}", "null"),
        delta("{\"content\":\"ok\",\"reasoning\":null}", "\"stop\""), "[DONE]");
    JsonObject delta = new JsonObject(events.get(0)).getJsonArray("choices").getJsonObject(0).getJsonObject("delta");
    assertEquals("think", delta.getString("reasoning"));
    assertEquals("think", delta.getString("reasoning_content"));
    assertEquals("think", StrictStreamChecker.check(events, false).reasoning());
  }

  @Test
  void should_relay_untouched_chunks_byte_for_byte_and_drop_empty_announcements() {
    String plain = delta("{\"content\":\"Hi\"}", "null");
    String azureFilter = "{\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\",\"prompt_filter_results\":[]}";
    List<String> events = decode(azureFilter, plain, "[DONE]");
    assertEquals(List.of(plain, "[DONE]"), events);
  }

  @Test
  void should_repair_complete_tool_calls_and_reasoning_in_a_non_streamed_answer() {
    Route route = new ModelResolver(ConfigLoader.parse("[providers.p]\nbase_url = \"https://x.example/v1\"\n",
        Path.of("config.toml"), Map.of())).resolve("p/m");
    String body = "  \n{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"finish_reason\":\"tool_calls\","
        + "\"message\":{\"role\":\"assistant\",\"reasoning\":\"hmm\",\"tool_calls\":[{\"id\":\"\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}}],"
        + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}}";
    NonStreamReply reply = new OpenAiAdapter().fromUpstream(Buffer.buffer(body), route);
    JsonObject message = reply.body().toJsonObject().getJsonArray("choices").getJsonObject(0).getJsonObject("message");
    assertEquals("hmm", message.getString("reasoning_content"));
    JsonObject call = message.getJsonArray("tool_calls").getJsonObject(0);
    assertNotEquals("", call.getString("id"));
    assertEquals("function", call.getString("type"));
    assertEquals(4, reply.usage().getInteger("completion_tokens"));
  }

  @Test
  void should_relay_a_clean_non_streamed_body_as_sent_after_whitespace_keep_alives() {
    Route route = new ModelResolver(ConfigLoader.parse("[providers.openrouter]\nbase_url = \"https://openrouter.ai/api/v1\"\n",
        Path.of("config.toml"), Map.of())).resolve("openrouter/m");
    String json = "{\"id\":\"x\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\"}}]}";
    NonStreamReply reply = new OpenAiAdapter().fromUpstream(Buffer.buffer("\n\n \n\n" + json), route);
    assertEquals(json, reply.body().toString());
  }
}
