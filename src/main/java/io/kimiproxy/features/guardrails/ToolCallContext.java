package io.kimiproxy.features.guardrails;


import io.kimiproxy.core.ledger.RequestSteps;

/**
 * The request a model's answer belongs to, for the guardrails' history.
 *
 * @param tally where the request counts its flagged and blocked calls (its ledger row); null when nothing counts them
 */
public record ToolCallContext(String requestId, String sessionId, String client, String model, boolean stream,
                              RequestSteps.Tally tally) {

  public ToolCallContext(String requestId, String sessionId, String client, String model, boolean stream) {
    this(requestId, sessionId, client, model, stream, null);
  }
}
