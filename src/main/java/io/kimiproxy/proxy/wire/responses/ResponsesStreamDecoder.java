package io.kimiproxy.proxy.wire.responses;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.proxy.sse.SseEvent;
import io.kimiproxy.proxy.wire.Chunk;
import io.kimiproxy.proxy.wire.ChunkSink;
import io.kimiproxy.proxy.wire.NativeEvent;
import io.kimiproxy.proxy.wire.StreamDecoder;
import io.kimiproxy.proxy.wire.WireCalls;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * A Responses provider's stream, for a Responses client: every event becomes one chunk that
 * carries the event itself ({@link Chunk#origin()}, which the client is sent) and what it says in
 * the neutral stream's terms, for the proxy's steps: text, reasoning, each function call's name and
 * arguments (so the guardrails hold and judge the call's events together), and at the end the
 * finish and the usage. Events that say nothing the steps read (created, in_progress, content part
 * boundaries...) become empty chunks, so the client still gets them in order.
 */
final class ResponsesStreamDecoder implements StreamDecoder {
  private final String provider;
  private final ReasoningIssuers issuers;
  /** Output index to the call's index in the neutral stream. */
  private final Map<Integer, Integer> calls = new HashMap<>();
  private long sequence;
  private String id = "resp";
  private String model = "";
  private long created = System.currentTimeMillis() / 1000;
  private boolean roleSent;

  ResponsesStreamDecoder(String provider, ReasoningIssuers issuers) {
    this.provider = provider;
    this.issuers = issuers;
  }

  @Override
  public void onEvent(SseEvent event, ChunkSink sink) {
    if (event.data().isBlank() || event.isDone()) return;
    JsonObject json = WireCalls.json(event, provider, sink);
    if (json == null) return;
    NativeEvent origin = new NativeEvent(sequence++, event.event(), event.data(), json);
    String type = json.getValue("type") instanceof String t ? t : String.valueOf(event.event());
    JsonObject delta = new JsonObject();
    String finish = null;
    JsonObject usage = null;
    switch (type) {
      case "response.created", "response.in_progress", "response.queued" -> remember(json.getValue("response"));
      case "response.output_item.added" -> callStarted(json, delta);
      case "response.output_text.delta", "response.refusal.delta" -> delta.put("content", text(json.getValue("delta")));
      case "response.reasoning_summary_text.delta", "response.reasoning_text.delta" ->
          delta.put("reasoning_content", text(json.getValue("delta")));
      case "response.function_call_arguments.delta", "response.custom_tool_call_input.delta" ->
          callFragment(json, text(json.getValue("delta")), delta);
      case "response.function_call_arguments.done", "response.custom_tool_call_input.done" -> callFragment(json, "", delta);
      case "response.output_item.done" -> itemDone(json, delta);
      case "response.completed", "response.incomplete" -> {
        JsonObject response = json.getValue("response") instanceof JsonObject r ? r : new JsonObject();
        finish = finishReason(type, response);
        usage = ResponsesUsage.toChat(response.getValue("usage"));
      }
      case "response.failed" -> {
        JsonObject response = json.getValue("response") instanceof JsonObject r ? r : new JsonObject();
        sink.error(failure(response.getValue("error")));
        return;
      }
      case "error" -> {
        sink.error(failure(json.getValue("error") instanceof JsonObject e ? e : json));
        return;
      }
      default -> { }
    }
    if (!roleSent) {
      delta.put("role", "assistant");
      roleSent = true;
    }
    JsonObject choice = new JsonObject().put("index", 0).put("delta", delta).put("finish_reason", finish);
    JsonObject chunk = new JsonObject().put("id", id).put("object", "chat.completion.chunk").put("created", created)
        .put("model", model).put("choices", new JsonArray().add(choice));
    if (usage != null) chunk.put("usage", usage);
    sink.chunk(Chunk.decoded(chunk, origin));
    if (finish != null) sink.done();
  }

  private void remember(Object response) {
    if (!(response instanceof JsonObject r)) return;
    if (r.getValue("id") instanceof String s) id = s;
    if (r.getValue("model") instanceof String s) model = s;
    if (r.getValue("created_at") instanceof Number n) created = n.longValue();
  }

  /** A function call (or a custom tool's call) begins: the neutral stream's call with its id and name. */
  private void callStarted(JsonObject json, JsonObject delta) {
    if (!(json.getValue("item") instanceof JsonObject item) || !isCall(item)) return;
    int index = calls.size();
    calls.put(outputIndex(json), index);
    JsonObject function = new JsonObject().put("name", text(item.getValue("name"))).put("arguments", "");
    delta.put("tool_calls", new JsonArray().add(new JsonObject().put("index", index)
        .put("id", text(item.getValue("call_id"))).put("type", "function").put("function", function)));
  }

  private void callFragment(JsonObject json, String arguments, JsonObject delta) {
    Integer index = calls.get(outputIndex(json));
    if (index == null) return;
    delta.put("tool_calls", new JsonArray().add(new JsonObject().put("index", index)
        .put("function", new JsonObject().put("arguments", arguments))));
  }

  private void itemDone(JsonObject json, JsonObject delta) {
    if (!(json.getValue("item") instanceof JsonObject item)) return;
    if ("reasoning".equals(item.getValue("type")) && item.getValue("encrypted_content") instanceof String blob) {
      issuers.issued(blob, provider);
    }
    if (isCall(item)) callFragment(json, "", delta);
  }

  private static boolean isCall(JsonObject item) {
    return "function_call".equals(item.getValue("type")) || "custom_tool_call".equals(item.getValue("type"));
  }

  private String finishReason(String type, JsonObject response) {
    if (type.equals("response.incomplete")) {
      Object reason = response.getValue("incomplete_details") instanceof JsonObject d ? d.getValue("reason") : null;
      return "content_filter".equals(reason) ? "content_filter" : "length";
    }
    return calls.isEmpty() ? "stop" : "tool_calls";
  }

  private static int outputIndex(JsonObject json) {
    return json.getValue("output_index") instanceof Number n ? n.intValue() : -1;
  }

  private static String text(Object value) {
    return value instanceof String s ? s : "";
  }

  /** A failure the provider reported inside its stream, with the status its code stands for. */
  private ProxyError failure(Object error) {
    JsonObject e = error instanceof JsonObject o ? o : new JsonObject();
    String code = e.getValue("code") instanceof String c ? c : null;
    String message = e.getValue("message") instanceof String m ? m : "the stream reported a failure";
    int status = code == null ? 500 : switch (code) {
      case "rate_limit_exceeded", "insufficient_quota" -> 429;
      case "context_length_exceeded", "invalid_prompt", "invalid_request_error" -> 400;
      default -> 500;
    };
    return ProxyError.fromUpstream(status, null, code, null, "Provider '" + provider + "': " + message, null);
  }
}
