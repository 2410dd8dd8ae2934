package io.kimiproxy.proxy.chain;

import io.kimiproxy.core.ledger.RequestRecord;
import io.kimiproxy.proxy.routing.Route;
import io.kimiproxy.proxy.wire.NonStreamReply;
import io.kimiproxy.proxy.wire.StreamDecoder;
import io.vertx.core.Future;

/**
 * One feature's part in the journey of a chat request, whatever API it came through: the one
 * extension point every feature (sanitizer, compaction, smart routing, cache, limits, guardrails,
 * context map, client monitor) plugs into. Each hook has a do-nothing default, so a step says only
 * what it does. The pipeline ({@code api.chat.ChatPipeline}) lists the steps in order.
 */
public interface ChatStep {

  /**
   * Before any provider is called, in list order: may change the request
   * ({@link ChatExchange#request(io.kimiproxy.core.model.ChatRequest)}), answer it instead of the
   * providers ({@link ChatExchange#answerWith}), or refuse it (a failed future with a
   * {@link io.kimiproxy.core.error.ProxyError}).
   */
  default Future<Void> prepare(ChatExchange x) {
    return Future.succeededFuture();
  }

  /** Before each call to a provider (retries and fallbacks included): may wait, or refuse it. */
  default Future<Admission> admit(ChatExchange x, Route route) {
    return Future.succeededFuture(Admission.NONE);
  }

  /** The streamed answer on its way to the client: a step may watch or change it by wrapping the decoder. */
  default StreamDecoder watchStream(ChatExchange x, Route route, StreamDecoder decoder) {
    return decoder;
  }

  /** The whole answer on its way to the client. */
  default NonStreamReply watchWhole(ChatExchange x, Route route, NonStreamReply reply) {
    return reply;
  }

  /**
   * After the exchange ended, answered or not, with its ledger row: bookkeeping that must never
   * fail or delay the request (it has been answered already).
   */
  default void finished(ChatExchange x, RequestRecord row) {}
}
