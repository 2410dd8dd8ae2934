package io.kimiproxy.proxy.inbound.messages;

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
import io.kimiproxy.proxy.wire.anthropic.AnthropicTools;
import io.kimiproxy.proxy.wire.anthropic.AnthropicTurns;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * An Anthropic Messages body as a neutral {@link ChatRequest}, indexed in one pass like a Chat
 * Completions body. Each turn is decoded once per distinct content and found again by its key on
 * the next one; the neutral messages of a turn (a user turn with tool results is several) all keep
 * the turn's bytes, and their keys say which turn they came from and how many it made, so that an
 * Anthropic provider is sent the client's bytes of every turn no step touched.
 */
public final class MessagesDecoder {
  /** Salts the key of the top-level system prompt, so it never equals the key of a turn with the same bytes. */
  private static final long SYSTEM_SALT = 0x73797374656dL;

  private final BoundedCache<ContentKey, List<Message>> turns;
  private final ToolsCache tools;

  /** @param cacheBytes how much decoded content to keep for the next turns */
  public MessagesDecoder(long cacheBytes) {
    this.turns = new BoundedCache<>(cacheBytes, list -> list.stream().mapToLong(Message::weight).sum());
    this.tools = new ToolsCache(cacheBytes, AnthropicTools::decode);
  }

  /** The request, with the model as the client named it. */
  public ChatRequest decode(Buffer body) {
    byte[] bytes = body == null ? new byte[0] : body.getBytes();
    JsonIndex index = RequestFields.index(bytes);
    RequestFields fields = new RequestFields(index);
    String model = fields.string("model", true);
    MessageList conversation = conversation(index);
    boolean stream = Boolean.TRUE.equals(fields.bool("stream"));
    JsonObject choice = fields.object("tool_choice");
    JsonObject thinking = fields.object("thinking");
    RequestOptions options = new RequestOptions(fields.maxTokens("max_tokens"), fields.number("temperature"),
        fields.number("top_p"), fields.strings("stop_sequences"), null, AnthropicTools.decodeChoice(choice),
        AnthropicTools.parallel(choice), ThinkingOptions.effort(thinking), thinking,
        ThinkingOptions.responseFormat(fields.object("output_config")), null);
    String hint = ClaudeSession.of(fields.object("metadata"));
    return new ChatRequest(InboundApi.MESSAGES, model, stream, false, conversation, tools.of(index), options, hint, index);
  }

  private MessageList conversation(JsonIndex index) {
    List<Span> spans = index.elements("messages");
    if (spans == null || spans.isEmpty()) {
      throw ProxyError.invalidRequest("'messages' is required and must be a non-empty array.", "messages");
    }
    byte[] bytes = index.bytes();
    List<Message> messages = new ArrayList<>(spans.size() + 1);
    List<ContentKey> keys = new ArrayList<>(spans.size() + 1);
    List<Span> places = new ArrayList<>(spans.size() + 1);
    Span system = index.field("system");
    if (system != null && bytes[system.start()] != 'n') {
      ContentKey key = ContentKey.of(bytes, system.start(), system.end()).then(SYSTEM_SALT);
      List<Message> decoded = turns.get(key);
      if (decoded == null) {
        decoded = List.of(AnthropicTurns.decodeSystem(JsonValues.decode(bytes, system)));
        turns.put(key, decoded);
      }
      messages.add(decoded.get(0));
      keys.add(key);
      places.add(system);
    }
    for (int i = 0; i < spans.size(); i++) {
      Span span = spans.get(i);
      ContentKey turn = ContentKey.of(bytes, span.start(), span.end());
      List<Message> decoded = turns.get(turn);
      if (decoded == null) {
        if (bytes[span.start()] != '{') {
          throw ProxyError.invalidRequest("messages[" + i + "] must be an object with a 'role'.", "messages");
        }
        decoded = AnthropicTurns.decode(JsonValues.object(bytes, span), i);
        turns.put(turn, decoded);
      }
      for (int j = 0; j < decoded.size(); j++) {
        messages.add(decoded.get(j));
        keys.add(AnthropicTurns.memberKey(turn, decoded.size(), j));
        places.add(span);
      }
    }
    return MessageList.fromBytes(bytes, messages.toArray(Message[]::new), keys.toArray(ContentKey[]::new),
        places.toArray(Span[]::new));
  }
}
