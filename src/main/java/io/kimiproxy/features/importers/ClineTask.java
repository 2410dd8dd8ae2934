package io.kimiproxy.features.importers;

/**
 * One task of Cline's history, as far as the proxy reads it: numbers and identifiers, never the
 * task's text.
 *
 * @param timestampMs when the task was last active (Cline's {@code ts})
 * @param modelId     the model the task ran on, when Cline recorded it
 * @param apiProvider the provider Cline used, when it recorded it
 */
public record ClineTask(String id, long timestampMs, long tokensIn, long tokensOut, long cacheWrites,
                        long cacheReads, double totalCost, String modelId, String apiProvider) {}
