package io.kimiproxy.proxy.wire.anthropic;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.proxy.sse.SseEvent;
import io.kimiproxy.proxy.wire.Chunk;
import io.kimiproxy.proxy.wire.ChunkSink;
import io.kimiproxy.proxy.wire.StreamDecoder;
import io.kimiproxy.proxy.wire.WireCalls;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns one Messages API stream into {@code chat.completion.chunk}s. Anthropic numbers content
 * blocks across all kinds (thinking, text, tool_use); OpenAI numbers tool calls among themselves,
 * so the decoder keeps, per open block, what it is and which tool call it became.
 *
 * <p>Usage arrives in two halves (input counts in message_start, the output count in
 * message_delta) and is sent once, as a usage-only chunk just before the end.
 */
final class AnthropicStreamDecoder implements StreamDecoder {

  /**
   * One content block being streamed. Thinking text and signature are collected so the whole
   * signed block can be handed to the client when it closes.
   */
  private record Block(String type, int toolIndex, StringBuilder thinking, StringBuilder signature, String data) {
    static Block of(String type) {
      return new Block(type, -1, null, null, null);
    }
  }

  private final String provider;
  private final long created;
  private final Map<Integer, Block> blocks = new HashMap<>();
  private String id;
  private String model;
  private AnthropicUsage usage;
  private int toolCalls;
  private String finishReason;

  AnthropicStreamDecoder(String provider, long created) {
    this.provider = provider;
    this.created = created;
  }

  @Override
  public void onEvent(SseEvent event, ChunkSink sink) {
    if (event.data().isBlank()) return;
    JsonObject json = WireCalls.json(event, provider, sink);
    if (json == null) return;
    onEvent(json, json.getValue("type") instanceof String t ? t : String.valueOf(event.event()), sink);
  }

  /** An event already parsed, with its type. */
  void onEvent(JsonObject json, String type, ChunkSink sink) {
    switch (type) {
      case "message_start" -> messageStart(json, sink);
      case "content_block_start" -> blockStart(json, sink);
      case "content_block_delta" -> blockDelta(json, sink);
      case "content_block_stop" -> blockStop(json, sink);
      case "message_delta" -> messageDelta(json, sink);
      case "message_stop" -> finish(sink);
      case "error" -> sink.error(AnthropicErrors.fromStreamEvent(json));
      default -> { } // ping, and event types Anthropic may add: its docs ask clients to ignore them
    }
  }

  @Override
  public void onEnd(ChunkSink sink) {
    // Without message_stop the answer is complete only if message_delta already gave its stop reason.
    if (finishReason != null) {
      finish(sink);
    } else {
      sink.error(ProxyError.badUpstreamResponse(provider, "the stream ended before the message was complete"));
    }
  }

  private void messageStart(JsonObject json, ChunkSink sink) {
    JsonObject message = json.getValue("message") instanceof JsonObject m ? m : new JsonObject();
    id = message.getValue("id") instanceof String s ? s : id;
    model = message.getValue("model") instanceof String s ? s : model;
    if (message.getValue("usage") instanceof JsonObject u) usage = AnthropicUsage.from(u);
    sink.chunk(delta(new JsonObject().put("role", "assistant").put("content", "")));
  }

  private void blockStart(JsonObject json, ChunkSink sink) {
    int index = json.getInteger("index", -1);
    JsonObject block = json.getValue("content_block") instanceof JsonObject b ? b : new JsonObject();
    String type = String.valueOf(block.getValue("type"));
    switch (type) {
      case "text" -> {
        blocks.put(index, Block.of(type));
        emitIfText(sink, "content", block.getValue("text"));
      }
      case "thinking" -> {
        String thinking = block.getValue("thinking") instanceof String s ? s : "";
        blocks.put(index, new Block(type, -1, new StringBuilder(thinking), new StringBuilder(), null));
        emitIfText(sink, "reasoning_content", thinking);
      }
      case "redacted_thinking" -> blocks.put(index, new Block(type, -1, null, null,
          block.getValue("data") instanceof String s ? s : ""));
      case "tool_use" -> {
        int toolIndex = toolCalls++;
        blocks.put(index, new Block(type, toolIndex, null, null, null));
        JsonObject call = new JsonObject()
            .put("index", toolIndex)
            .put("id", block.getValue("id"))
            .put("type", "function")
            .put("function", new JsonObject().put("name", block.getValue("name")).put("arguments", ""));
        sink.chunk(delta(new JsonObject().put("tool_calls", new JsonArray().add(call))));
      }
      default -> blocks.put(index, Block.of(type)); // server-side tool blocks: nothing for the client
    }
  }

  private void blockDelta(JsonObject json, ChunkSink sink) {
    Block block = blocks.get(json.getInteger("index", -1));
    JsonObject delta = json.getValue("delta") instanceof JsonObject d ? d : new JsonObject();
    switch (String.valueOf(delta.getValue("type"))) {
      case "text_delta" -> emitIfText(sink, "content", delta.getValue("text"));
      case "thinking_delta" -> {
        if (block != null && block.thinking() != null && delta.getValue("thinking") instanceof String s) {
          block.thinking().append(s);
        }
        emitIfText(sink, "reasoning_content", delta.getValue("thinking"));
      }
      case "signature_delta" -> {
        if (block != null && block.signature() != null && delta.getValue("signature") instanceof String s) {
          block.signature().append(s);
        }
      }
      case "input_json_delta" -> {
        // The first fragment of every call is "": sending it would only add an empty event.
        if (block != null && block.toolIndex() >= 0
            && delta.getValue("partial_json") instanceof String fragment && !fragment.isEmpty()) {
          JsonObject call = new JsonObject().put("index", block.toolIndex())
              .put("function", new JsonObject().put("arguments", fragment));
          sink.chunk(delta(new JsonObject().put("tool_calls", new JsonArray().add(call))));
        }
      }
      default -> { } // citations and delta kinds added later carry nothing a Chat Completions client reads
    }
  }

  private void blockStop(JsonObject json, ChunkSink sink) {
    Block block = blocks.remove(json.getInteger("index", -1));
    if (block == null) return;
    JsonObject whole = null;
    if (block.thinking() != null && block.signature().length() > 0) {
      whole = AnthropicResponseMapper.thinkingBlock(block.thinking().toString(), block.signature().toString());
    } else if (block.data() != null) {
      whole = AnthropicResponseMapper.redactedThinkingBlock(block.data());
    }
    // Unsigned thinking could never be sent back, so only signed blocks reach the client.
    if (whole != null) sink.chunk(delta(new JsonObject().put("thinking_blocks", new JsonArray().add(whole))));
  }

  private void messageDelta(JsonObject json, ChunkSink sink) {
    if (json.getValue("usage") instanceof JsonObject u) {
      usage = usage == null ? AnthropicUsage.from(u) : usage.updatedBy(u);
    }
    JsonObject delta = json.getValue("delta") instanceof JsonObject d ? d : new JsonObject();
    if (delta.getValue("stop_reason") != null) {
      finishReason = AnthropicResponseMapper.finishReason(delta.getValue("stop_reason"));
      sink.chunk(chunk(new JsonObject(), finishReason));
    }
  }

  private void finish(ChunkSink sink) {
    if (usage != null) {
      sink.chunk(Chunk.built(envelope().put("choices", new JsonArray()).put("usage", usage.toOpenAi())));
    }
    sink.done();
  }

  private void emitIfText(ChunkSink sink, String field, Object text) {
    if (text instanceof String s && !s.isEmpty()) sink.chunk(delta(new JsonObject().put(field, s)));
  }

  private Chunk delta(JsonObject delta) {
    return chunk(delta, null);
  }

  private Chunk chunk(JsonObject delta, String finish) {
    JsonObject choice = new JsonObject().put("index", 0).put("delta", delta).put("finish_reason", finish);
    return Chunk.built(envelope().put("choices", new JsonArray().add(choice)));
  }

  private JsonObject envelope() {
    return new JsonObject()
        .put("id", id)
        .put("object", "chat.completion.chunk")
        .put("created", created)
        .put("model", model);
  }
}
