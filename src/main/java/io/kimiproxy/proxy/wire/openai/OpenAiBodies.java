package io.kimiproxy.proxy.wire.openai;

import io.kimiproxy.core.json.JsonIndex;
import io.kimiproxy.core.json.JsonStrings;
import io.kimiproxy.core.json.JsonValues;
import io.kimiproxy.core.json.Span;
import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.core.model.InboundApi;
import io.kimiproxy.core.model.MessageList;
import io.kimiproxy.core.model.RequestOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Chat Completions body a provider gets. From a Chat Completions client it is the client's own
 * bytes, spliced: the model id replaced, the usage request set, a field the provider refuses
 * renamed, changed messages encoded, and every other byte copied as it came, so a megabyte of
 * history costs one copy and not a parse and a re-encoding. From any other source it is encoded
 * from the neutral model.
 */
final class OpenAiBodies {
  private static final int MAX_KEYS = 1024;
  private static final Map<String, byte[]> KEYS = new ConcurrentHashMap<>();

  private OpenAiBodies() {}

  static Buffer spliced(ChatRequest request, String upstreamModel, OpenAiQuirks quirks) {
    JsonIndex raw = request.raw();
    byte[] bytes = raw.bytes();
    Buffer out = Buffer.buffer(bytes.length + 256);
    out.appendString("{\"model\":").appendString(quoted(upstreamModel));
    boolean streamOptionsSent = false;
    Map<String, Span> fields = raw.fields();
    for (Map.Entry<String, Span> field : fields.entrySet()) {
      String name = field.getKey();
      Span span = field.getValue();
      switch (name) {
        case "model" -> { }
        case "messages" -> {
          key(out, name);
          messages(out, request.messages(), bytes, span, raw.elements(name).size());
        }
        case "stream_options" -> {
          if (!quirks.streamOptions()) continue;
          key(out, name);
          if (request.stream()) {
            JsonObject options = JsonValues.object(bytes, span);
            out.appendString((options == null ? new JsonObject() : options).put("include_usage", true).encode());
          } else {
            out.appendBytes(bytes, span.start(), span.length());
          }
          streamOptionsSent = true;
        }
        case "max_completion_tokens" -> {
          if (quirks.maxCompletionTokens()) {
            copy(out, name, bytes, span);
          } else if (!fields.containsKey("max_tokens")) {
            copy(out, "max_tokens", bytes, span);
          }
        }
        default -> copy(out, name, bytes, span);
      }
    }
    if (request.stream() && quirks.streamOptions() && !streamOptionsSent) {
      out.appendString(",\"stream_options\":{\"include_usage\":true}");
    }
    return out.appendString("}");
  }

  /** The body built from the neutral model (requests from other APIs, or built by the proxy). */
  static Buffer encoded(ChatRequest request, String upstreamModel, OpenAiQuirks quirks) {
    JsonObject body = new JsonObject().put("model", upstreamModel);
    JsonArray messages = new JsonArray();
    // A request of another API carries that API's fields and cache breakpoints: only OpenAI's go, and
    // the breakpoints only where they mean something.
    boolean translated = request.api() != InboundApi.CHAT;
    boolean cacheControl = !translated || quirks.cacheControl();
    request.messages().forEach(m -> messages.add(translated ? OpenAiMessages.encodeTranslated(m, cacheControl)
        : OpenAiMessages.encode(m)));
    body.put("messages", messages);
    if (!request.tools().isEmpty()) body.put("tools", OpenAiTools.encode(request.tools().definitions(), cacheControl));
    RequestOptions o = request.options();
    if (o.toolChoice() != null) body.put("tool_choice", OpenAiTools.encodeChoice(o.toolChoice()));
    if (o.parallelToolCalls() != null) body.put("parallel_tool_calls", o.parallelToolCalls());
    if (o.maxTokens() != null) body.put(quirks.maxCompletionTokens() ? "max_completion_tokens" : "max_tokens", o.maxTokens());
    if (o.temperature() != null) body.put("temperature", o.temperature());
    if (o.topP() != null) body.put("top_p", o.topP());
    if (!o.stop().isEmpty()) body.put("stop", new JsonArray(o.stop()));
    if (o.n() != null) body.put("n", o.n());
    if (o.seed() != null) body.put("seed", o.seed());
    if (o.reasoningEffort() != null) body.put("reasoning_effort", o.reasoningEffort());
    if (o.responseFormat() != null) body.put("response_format", o.responseFormat());
    if (request.stream()) {
      body.put("stream", true);
      if (quirks.streamOptions()) body.put("stream_options", new JsonObject().put("include_usage", true));
    }
    return body.toBuffer();
  }

  /** The client's messages array as it came when nothing changed; else each message's bytes or encoding. */
  private static void messages(Buffer out, MessageList messages, byte[] bytes, Span original, int originalCount) {
    if (unchanged(messages, bytes, originalCount)) {
      out.appendBytes(bytes, original.start(), original.length());
      return;
    }
    out.appendString("[");
    for (int i = 0; i < messages.size(); i++) {
      if (i > 0) out.appendString(",");
      Span span = messages.span(i);
      if (span != null && messages.bytes() == bytes) {
        out.appendBytes(bytes, span.start(), span.length());
      } else {
        out.appendBuffer(OpenAiMessages.encode(messages.get(i)).toBuffer());
      }
    }
    out.appendString("]");
  }

  /** True when the list is the client's array: every message with its bytes, all of them, in order. */
  private static boolean unchanged(MessageList messages, byte[] bytes, int originalCount) {
    if (messages.bytes() != bytes || messages.size() != originalCount) return false;
    for (int i = 0; i < messages.size(); i++) {
      Span span = messages.span(i);
      if (span == null || (i > 0 && span.start() <= messages.span(i - 1).end())) return false;
    }
    return true;
  }

  private static void copy(Buffer out, String name, byte[] bytes, Span span) {
    key(out, name);
    out.appendBytes(bytes, span.start(), span.length());
  }

  /**
   * Writes {@code ,"name":}. The same few dozen field names come in every request, so their bytes
   * are kept; a client may send names of its own, so only so many.
   */
  private static void key(Buffer out, String name) {
    byte[] bytes = KEYS.get(name);
    if (bytes == null) {
      bytes = ("," + quoted(name) + ":").getBytes(StandardCharsets.UTF_8);
      if (KEYS.size() < MAX_KEYS) KEYS.put(name, bytes);
    }
    out.appendBytes(bytes);
  }

  private static String quoted(String text) {
    return JsonStrings.quote(new StringBuilder(text.length() + 2), text).toString();
  }

}
