package io.kimiproxy.features.guardrails;

import io.kimiproxy.config.ToolCallType;
import io.vertx.core.json.JsonObject;

/**
 * One guardrail decision as stored: identifiers, numbers and a short redacted preview of the
 * arguments, never file contents.
 *
 * @param seq            the row's number (0 before it is stored)
 * @param rule           the part of the rule that decided: blocked_patterns, allowed_patterns,
 *                       max_file_size_mb, requires_confirmation, disabled; null when nothing applied
 * @param pattern        the pattern that matched, if one did
 * @param preview        at most 200 characters, secrets redacted
 * @param argumentsBytes the size of the arguments as the model wrote them
 */
public record GuardActionRecord(long seq, long timestampMs, String requestId, String sessionId, String client,
                                String model, boolean stream, int callIndex, String callId, String toolName,
                                ToolCallType type, GuardDecision decision, String rule, String pattern,
                                String reason, String preview, long argumentsBytes) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", seq)
        .put("ts", timestampMs)
        .put("request_id", requestId)
        .put("session", sessionId)
        .put("client", client)
        .put("model", model)
        .put("stream", stream)
        .put("call_index", callIndex)
        .put("call_id", callId)
        .put("tool", toolName)
        .put("type", type.name())
        .put("decision", decision.label())
        .put("rule", rule)
        .put("pattern", pattern)
        .put("reason", reason)
        .put("preview", preview)
        .put("arguments_bytes", argumentsBytes);
  }
}
