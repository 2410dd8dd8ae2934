package io.kimiproxy.proxy.wire.openai;

import io.kimiproxy.proxy.sse.SseEvent;
import io.kimiproxy.proxy.wire.Chunk;
import io.kimiproxy.proxy.wire.ChunkSink;
import io.kimiproxy.proxy.wire.ErrorBodies;
import io.kimiproxy.proxy.wire.StreamDecoder;
import io.kimiproxy.proxy.wire.WireCalls;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Relays OpenAI-format chunks, normalising where compatible servers differ. A chunk nobody had to
 * touch goes out as the provider's own bytes.
 */
final class OpenAiStreamDecoder implements StreamDecoder {
  private final String provider;
  private final ToolCallRepair toolCalls = new ToolCallRepair();

  OpenAiStreamDecoder(String provider) {
    this.provider = provider;
  }

  @Override
  public void onEvent(SseEvent event, ChunkSink sink) {
    String data = event.data();
    if (event.isDone()) {
      sink.done();
      return;
    }
    if (data.isBlank()) return;
    JsonObject json = WireCalls.json(event, provider, sink);
    if (json == null) return;
    if (json.containsKey("error") && !json.containsKey("choices")) {
      sink.error(ErrorBodies.parse(500, Buffer.buffer(data), null));
      return;
    }
    boolean changed = false;
    if (json.getValue("usage") == null) {
      JsonObject usage = OpenAiChunks.usageOf(json);
      if (usage != null) {
        json.put("usage", usage);
        changed = true;
      }
    }
    boolean hasChoices = json.getValue("choices") instanceof JsonArray choices && !choices.isEmpty();
    if (!hasChoices && json.getValue("usage") == null) {
      return; // e.g. Azure's prompt-filter announcement (empty id, model and object): nothing a client can use
    }
    if (hasChoices) changed |= repairChoices(json.getJsonArray("choices"));
    Chunk chunk = Chunk.relayed(json, data);
    if (changed) chunk.changed();
    sink.chunk(chunk);
  }

  private boolean repairChoices(JsonArray choices) {
    boolean changed = false;
    for (int i = 0; i < choices.size(); i++) {
      if (choices.getValue(i) instanceof JsonObject choice && choice.getValue("delta") instanceof JsonObject delta) {
        int index = choice.getValue("index") instanceof Number n ? n.intValue() : i;
        changed |= OpenAiChunks.mirrorReasoning(delta);
        changed |= toolCalls.repairDelta(index, delta);
      }
    }
    return changed;
  }
}
