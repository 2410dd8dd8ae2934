package io.kimiproxy.proxy.wire.gemini;

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
 * One {@code streamGenerateContent?alt=sse} answer as {@code chat.completion.chunk} events. Each
 * Gemini event is a small whole response; what OpenAI's stream needs across events is kept here:
 * the id and model every chunk repeats, per choice whether the role was sent, the next tool-call
 * index and whether a call was made (STOP then means tool_calls), and the usage, which Gemini
 * repeats, cumulative, on every event and which goes out once, at the end.
 */
final class GeminiStreamDecoder implements StreamDecoder {
  private final String provider;
  private final String requestedModel;
  private final long created = System.currentTimeMillis() / 1000;
  private final Map<Integer, Choice> choices = new HashMap<>();
  private String id;
  private String model;
  private JsonObject usage;

  /** What one choice has sent so far. */
  private static final class Choice {
    boolean roleSent;
    int nextToolIndex;
  }

  GeminiStreamDecoder(String provider, String requestedModel) {
    this.provider = provider;
    this.requestedModel = requestedModel;
  }

  @Override
  public void onEvent(SseEvent event, ChunkSink sink) {
    if (event.data().isBlank()) return;
    JsonObject json = WireCalls.json(event, provider, sink);
    if (json == null) return;
    if (json.containsKey("error")) {
      sink.error(GeminiErrors.inStream(json));
      return;
    }
    if (id == null) {
      id = GeminiResponseMapper.completionId(json);
      model = GeminiResponseMapper.model(json, requestedModel);
    }
    if (json.getValue("usageMetadata") instanceof JsonObject metadata) usage = GeminiCandidate.usage(metadata);
    for (GeminiCandidate candidate : GeminiCandidate.all(json)) {
      emit(candidate, sink);
    }
  }

  @Override
  public void onEnd(ChunkSink sink) {
    if (usage != null) {
      // choices [] marks it as the usage chunk: the relay hands it on only to a client that asked.
      sink.chunk(Chunk.built(frame(new JsonArray()).put("usage", usage)));
    }
  }

  /** Content first, then (OpenAI's way) the finish reason in a chunk of its own with an empty delta. */
  private void emit(GeminiCandidate candidate, ChunkSink sink) {
    Choice choice = choices.computeIfAbsent(candidate.index(), i -> new Choice());
    JsonObject delta = new JsonObject();
    if (!candidate.reasoning().isEmpty()) delta.put("reasoning_content", candidate.reasoning());
    if (!candidate.text().isEmpty()) delta.put("content", candidate.text());
    if (!candidate.toolCalls().isEmpty()) {
      JsonArray calls = new JsonArray();
      for (JsonObject call : candidate.toolCalls()) {
        // One index per call across the whole stream: parallel calls in one event get consecutive ones.
        calls.add(new JsonObject().put("index", choice.nextToolIndex++).mergeIn(call));
      }
      delta.put("tool_calls", calls);
    }
    if (!delta.isEmpty()) sink.chunk(chunk(choice, candidate.index(), delta, null));
    if (candidate.finishReason() != null) {
      String reason = GeminiCandidate.afterCalls(candidate.finishReason(), choice.nextToolIndex > 0);
      sink.chunk(chunk(choice, candidate.index(), new JsonObject(), reason));
    }
  }

  private Chunk chunk(Choice choice, int index, JsonObject delta, String finishReason) {
    if (!choice.roleSent) {
      choice.roleSent = true;
      delta = new JsonObject().put("role", "assistant").mergeIn(delta);
    }
    JsonObject entry = new JsonObject().put("index", index).put("delta", delta).put("finish_reason", finishReason);
    return Chunk.built(frame(new JsonArray().add(entry)));
  }

  private JsonObject frame(JsonArray choiceList) {
    return new JsonObject()
        .put("id", id)
        .put("object", "chat.completion.chunk")
        .put("created", created)
        .put("model", model)
        .put("choices", choiceList);
  }
}
