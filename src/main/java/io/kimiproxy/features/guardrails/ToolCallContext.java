package io.kimiproxy.features.guardrails;

/** The request a model's answer belongs to, for the guardrails' history. */
public record ToolCallContext(String requestId, String sessionId, String client, String model, boolean stream) {}
