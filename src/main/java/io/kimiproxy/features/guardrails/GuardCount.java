package io.kimiproxy.features.guardrails;

import io.kimiproxy.config.ToolCallType;

/** How many decisions of one kind a session has, and when the latest was made. */
public record GuardCount(String sessionId, ToolCallType type, GuardDecision decision, long count, long lastTimestampMs) {}
