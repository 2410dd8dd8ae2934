package io.kimiproxy.features.importers;

/**
 * One LLM call as Continue's log reports it.
 *
 * @param timestampMs   the time written on the line, or null when the line carries no date
 * @param contextLength the model's context length Continue logged for the call, 0 when none
 */
public record ContinueEntry(Long timestampMs, long promptTokens, long completionTokens, long contextLength) {}
