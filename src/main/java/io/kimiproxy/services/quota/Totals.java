package io.kimiproxy.services.quota;

/** Tokens and cost spent within a scope since some moment. */
public record Totals(long tokens, double usd) {
  public static final Totals ZERO = new Totals(0, 0);
}
