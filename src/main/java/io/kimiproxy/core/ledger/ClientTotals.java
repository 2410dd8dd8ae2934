package io.kimiproxy.core.ledger;

/**
 * What the ledger holds for one kind of client: its requests (failed: status 400 and above),
 * tokens, cost and the start of its latest request.
 */
public record ClientTotals(String client, long requests, long failed, long promptTokens,
                           long completionTokens, double costUsd, long lastSeenMs) {}
