package io.kimiproxy.core.guard;

/** The request a model's answer belongs to, for the guardrails' history. */
public record ToolCallContext(String requestId, String sessionId, String client, String model, boolean stream) {}
