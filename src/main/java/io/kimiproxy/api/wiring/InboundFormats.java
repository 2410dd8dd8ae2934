package io.kimiproxy.api.wiring;

import io.kimiproxy.proxy.inbound.chat.ChatCompletionsDecoder;
import io.kimiproxy.proxy.inbound.chat.ChatCompletionsFormat;
import io.kimiproxy.proxy.inbound.messages.MessagesDecoder;
import io.kimiproxy.proxy.inbound.responses.ResponsesDecoder;
import io.kimiproxy.proxy.inbound.responses.ResponsesFormat;

/**
 * The APIs clients speak, each with its decoder and its cache of decoded messages: made once and
 * kept across configuration reloads, so a reload does not make every conversation new again. (The
 * Messages format itself is made per generation, around this decoder, as it maps model names the
 * configuration names.)
 */
public record InboundFormats(ChatCompletionsFormat chat, MessagesDecoder messages, ResponsesFormat responses) {

  public static InboundFormats create(MemoryBudget memory) {
    return new InboundFormats(new ChatCompletionsFormat(new ChatCompletionsDecoder(memory.decodedBytes())),
        new MessagesDecoder(memory.decodedBytes()), new ResponsesFormat(new ResponsesDecoder(memory.decodedBytes())));
  }
}
