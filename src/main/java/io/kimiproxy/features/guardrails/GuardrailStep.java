package io.kimiproxy.features.guardrails;

import io.kimiproxy.proxy.chain.ChatExchange;
import io.kimiproxy.proxy.chain.ChatStep;
import io.kimiproxy.proxy.routing.Route;
import io.kimiproxy.proxy.wire.NonStreamReply;
import io.kimiproxy.proxy.wire.StreamDecoder;
import io.vertx.core.buffer.Buffer;

/**
 * The tool-call guardrails on the answer's way back: streamed calls are held until complete and
 * judged ({@link ToolCallGate}), a whole answer's calls before it is sent ({@link AnswerGate}).
 */
public final class GuardrailStep implements ChatStep {
  private final ToolCallInspector inspector;

  public GuardrailStep(ToolCallInspector inspector) {
    this.inspector = inspector;
  }

  @Override
  public StreamDecoder watchStream(ChatExchange x, Route route, StreamDecoder decoder) {
    return ToolCallGate.around(decoder, inspection(x, route));
  }

  @Override
  public NonStreamReply watchWhole(ChatExchange x, Route route, NonStreamReply reply) {
    Buffer body = AnswerGate.filter(reply, inspection(x, route));
    return body == reply.body() ? reply : new NonStreamReply(body, reply.usage(), reply.json());
  }

  /** The guardrails' inspection of this attempt's tool calls, or null when they are off. */
  private ToolCallInspection inspection(ChatExchange x, Route route) {
    return inspector.open(new ToolCallContext(x.id(), x.sessionId(), x.caller().client(), route.alias(),
        x.request().stream(), x.steps()));
  }
}
