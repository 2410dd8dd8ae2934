package io.kimiproxy.proxy.inbound.chat;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.json.JsonIndex;
import io.kimiproxy.core.json.JsonValues;
import io.kimiproxy.core.json.Span;
import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.core.model.InboundApi;
import io.kimiproxy.core.model.Message;
import io.kimiproxy.core.model.MessageList;
import io.kimiproxy.core.model.RequestOptions;
import io.kimiproxy.core.util.BoundedCache;
import io.kimiproxy.core.util.ContentKey;
import io.kimiproxy.proxy.inbound.RequestFields;
import io.kimiproxy.proxy.inbound.ToolsCache;
import io.kimiproxy.proxy.wire.openai.OpenAiMessages;
import io.kimiproxy.proxy.wire.openai.OpenAiTools;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A Chat Completions body as a neutral {@link ChatRequest}. The body is validated and indexed in
 * one pass; each message is decoded once per distinct content and found again by its key on the
 * next turn, so a client that resends 200 k tokens of history pays for hashing it and for its new
 * messages alone.
 */
public final class ChatCompletionsDecoder {
  private final BoundedCache<ContentKey, Message> messages;
  private final ToolsCache tools;

  /** @param cacheBytes how much decoded content to keep for the next turns */
  public ChatCompletionsDecoder(long cacheBytes) {
    this.messages = new BoundedCache<>(cacheBytes, Message::weight);
    this.tools = new ToolsCache(cacheBytes, OpenAiTools::decode);
  }

  public ChatRequest decode(Buffer body) {
    byte[] bytes = body == null ? new byte[0] : body.getBytes();
    JsonIndex index = RequestFields.index(bytes);
    RequestFields fields = new RequestFields(index);
    String model = fields.string("model", true);
    MessageList conversation = messages(index);
    boolean stream = Boolean.TRUE.equals(fields.bool("stream"));
    JsonObject streamOptions = fields.object("stream_options");
    boolean includeUsage = streamOptions != null && Boolean.TRUE.equals(streamOptions.getValue("include_usage"));
    RequestOptions options = new RequestOptions(fields.maxTokens("max_completion_tokens", "max_tokens"),
        fields.number("temperature"), fields.number("top_p"), fields.strings("stop"), fields.choices("n"),
        OpenAiTools.decodeChoice(fields.value("tool_choice")), fields.bool("parallel_tool_calls"),
        fields.string("reasoning_effort", false), fields.object("thinking"), fields.object("response_format"),
        fields.integer("seed", Long.MIN_VALUE, Long.MAX_VALUE));
    String hint = fields.value("prompt_cache_key") instanceof String key ? key : null;
    return new ChatRequest(InboundApi.CHAT, model, stream, includeUsage, conversation, tools.of(index), options, hint, index);
  }

  private MessageList messages(JsonIndex index) {
    List<Span> spans = index.elements("messages");
    if (spans == null || spans.isEmpty()) {
      throw ProxyError.invalidRequest("'messages' is required and must be a non-empty array.", "messages");
    }
    byte[] bytes = index.bytes();
    int n = spans.size();
    Message[] decoded = new Message[n];
    ContentKey[] keys = new ContentKey[n];
    for (int i = 0; i < n; i++) {
      Span span = spans.get(i);
      ContentKey key = ContentKey.of(bytes, span.start(), span.end());
      Message message = messages.get(key);
      if (message == null) {
        if (bytes[span.start()] != '{') {
          throw ProxyError.invalidRequest("messages[" + i + "] must be an object with a 'role'.", "messages");
        }
        message = OpenAiMessages.decode(JsonValues.object(bytes, span), i);
        messages.put(key, message);
      }
      decoded[i] = message;
      keys[i] = key;
    }
    return MessageList.fromBytes(bytes, decoded, keys, spans.toArray(Span[]::new));
  }
}
