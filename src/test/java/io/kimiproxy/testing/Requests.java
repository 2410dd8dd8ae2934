package io.kimiproxy.testing;

import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.core.model.Message;
import io.kimiproxy.core.model.MessageList;
import io.kimiproxy.core.model.Tools;
import io.kimiproxy.proxy.inbound.chat.ChatCompletionsDecoder;
import io.kimiproxy.proxy.wire.openai.OpenAiMessages;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Neutral requests and messages from Chat Completions JSON, decoded the way the server decodes them. */
public final class Requests {
  private static final ChatCompletionsDecoder DECODER = new ChatCompletionsDecoder(8 << 20);

  private Requests() {}

  /** A Chat Completions body as the pipeline sees it. */
  public static ChatRequest chat(JsonObject body) {
    return DECODER.decode(body.toBuffer());
  }

  /** The same with model {@code m} and these messages. */
  public static ChatRequest chat(String model, JsonArray messages) {
    return chat(new JsonObject().put("model", model).put("messages", messages));
  }

  public static MessageList messages(JsonArray messages) {
    return chat("m", messages).messages();
  }

  /** Tool definitions as a Chat Completions client sends them. */
  public static Tools tools(JsonArray tools) {
    if (tools.isEmpty()) return Tools.NONE;
    return chat(new JsonObject().put("model", "m").put("messages", new JsonArray().add(new JsonObject()
        .put("role", "user").put("content", "x"))).put("tools", tools)).tools();
  }

  public static Message message(JsonObject message) {
    return OpenAiMessages.decode(message, 0);
  }

  /** Messages back as Chat Completions JSON, for assertions on what goes upstream. */
  public static JsonArray json(java.util.List<Message> messages) {
    JsonArray out = new JsonArray();
    messages.forEach(m -> out.add(OpenAiMessages.encode(m)));
    return out;
  }
}
