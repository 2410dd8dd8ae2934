package io.kimiproxy.core.ledger;

/** Tokens and cost spent within a scope since some moment. */
public record Spending(long tokens, double usd) {}
