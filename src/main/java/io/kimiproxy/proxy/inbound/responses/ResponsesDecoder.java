package io.kimiproxy.proxy.inbound.responses;

import io.kimiproxy.core.error.ProxyError;
import io.kimiproxy.core.json.JsonIndex;
import io.kimiproxy.core.json.JsonValues;
import io.kimiproxy.core.json.Span;
import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.core.model.InboundApi;
import io.kimiproxy.core.model.Message;
import io.kimiproxy.core.model.MessageList;
import io.kimiproxy.core.model.RequestOptions;
import io.kimiproxy.core.model.Role;
import io.kimiproxy.core.util.BoundedCache;
import io.kimiproxy.core.util.ContentKey;
import io.kimiproxy.proxy.inbound.RequestFields;
import io.kimiproxy.proxy.inbound.ToolsCache;
import io.kimiproxy.proxy.wire.responses.InputItem;
import io.kimiproxy.proxy.wire.responses.ResponsesItems;
import io.kimiproxy.proxy.wire.responses.ResponsesTools;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * An OpenAI Responses body ({@code POST /v1/responses}) as a neutral {@link ChatRequest}, indexed in
 * one pass like a Chat Completions body. The proxy keeps no responses: a client sends its whole
 * conversation in {@code input} every turn (Codex does, with {@code store: false}), so
 * {@code previous_response_id} and {@code conversation} are refused with a 400 that says so.
 *
 * <p>Each input item is decoded once per distinct content and found again by its key on the next
 * turn; the items of one assistant turn (its reasoning, text and function calls) make one neutral
 * message, whose bytes are those items' ({@link InputTurns}), so a provider that serves Responses is
 * sent the client's bytes of every turn no step touched.
 */
public final class ResponsesDecoder {
  /** Salts the keys of the instructions and of a string input, so they never equal an item's. */
  private static final long INSTRUCTIONS_SALT = 0x696e737472L;
  private static final long STRING_INPUT_SALT = 0x696e707574L;

  private final BoundedCache<ContentKey, InputItem> items;
  private final InputTurns turns;
  private final ToolsCache tools;

  /** @param cacheBytes how much decoded content to keep for the next turns */
  public ResponsesDecoder(long cacheBytes) {
    this.items = new BoundedCache<>(cacheBytes / 2, InputItem::weight);
    this.turns = new InputTurns(cacheBytes / 2);
    this.tools = new ToolsCache(cacheBytes, ResponsesTools::decode);
  }

  public ChatRequest decode(Buffer body) {
    byte[] bytes = body == null ? new byte[0] : body.getBytes();
    if (bytes.length == 0) {
      throw ProxyError.invalidRequest("Request body is empty: send a JSON object with 'model' and 'input'.", null);
    }
    JsonIndex index = RequestFields.index(bytes);
    RequestFields fields = new RequestFields(index);
    refuseState(fields);
    String model = fields.string("model", true);
    MessageList conversation = conversation(index, fields);
    boolean stream = Boolean.TRUE.equals(fields.bool("stream"));
    String hint = fields.value("prompt_cache_key") instanceof String key ? key : null;
    return new ChatRequest(InboundApi.RESPONSES, model, stream, false, conversation, tools.of(index),
        options(fields), hint, index);
  }

  /** What would need responses the proxy does not keep. */
  private static void refuseState(RequestFields fields) {
    for (String name : List.of("previous_response_id", "conversation")) {
      if (fields.value(name) != null) {
        throw ProxyError.invalidRequest("'" + name + "' is not supported: Kimi Proxy keeps no responses. Send the "
            + "whole conversation in 'input' each turn (with \"store\": false), as Codex does.", name);
      }
    }
    if (Boolean.TRUE.equals(fields.bool("background"))) {
      throw ProxyError.invalidRequest("'background' is not supported: Kimi Proxy keeps no responses to poll; "
          + "stream the answer instead.", "background");
    }
  }

  private static RequestOptions options(RequestFields fields) {
    return new RequestOptions(fields.maxTokens("max_output_tokens"), fields.number("temperature"),
        fields.number("top_p"), List.of(), null, ResponsesTools.decodeChoice(fields.value("tool_choice")),
        fields.bool("parallel_tool_calls"), ResponsesOptions.effort(fields.object("reasoning")), null,
        ResponsesOptions.responseFormat(fields.object("text")), null);
  }

  private MessageList conversation(JsonIndex index, RequestFields fields) {
    byte[] bytes = index.bytes();
    List<Message> messages = new ArrayList<>();
    List<ContentKey> keys = new ArrayList<>();
    List<Span> places = new ArrayList<>();
    String instructions = fields.string("instructions", false);
    if (instructions != null && !instructions.isEmpty()) {
      Span span = index.field("instructions");
      ContentKey key = ContentKey.of(bytes, span.start(), span.end()).then(INSTRUCTIONS_SALT);
      messages.add(turns.text(key, Role.SYSTEM, instructions));
      keys.add(key);
      places.add(span);
    }
    Span input = index.field("input");
    List<Span> spans = index.elements("input");
    if (input != null && bytes[input.start()] == '"') {
      ContentKey key = ContentKey.of(bytes, input.start(), input.end()).then(STRING_INPUT_SALT);
      messages.add(turns.text(key, Role.USER, fields.string("input", true)));
      keys.add(key);
      places.add(input);
    } else if (spans == null || spans.isEmpty()) {
      throw ProxyError.invalidRequest("'input' is required and must be a string or a non-empty array of items.", "input");
    } else {
      List<InputItem> decoded = new ArrayList<>(spans.size());
      List<ContentKey> itemKeys = new ArrayList<>(spans.size());
      for (int i = 0; i < spans.size(); i++) {
        Span span = spans.get(i);
        ContentKey key = ContentKey.of(bytes, span.start(), span.end());
        InputItem item = items.get(key);
        if (item == null) {
          if (bytes[span.start()] != '{') throw ProxyError.invalidRequest("input[" + i + "] must be an object.", "input");
          item = ResponsesItems.decode(JsonValues.object(bytes, span), i, span.length());
          items.put(key, item);
        }
        decoded.add(item);
        itemKeys.add(key);
      }
      turns.group(decoded, itemKeys, spans, messages, keys, places);
    }
    return MessageList.fromBytes(bytes, messages.toArray(Message[]::new), keys.toArray(ContentKey[]::new),
        places.toArray(Span[]::new));
  }
}
