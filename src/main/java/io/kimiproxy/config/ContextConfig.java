package io.kimiproxy.config;

/**
 * {@code [context]}: how the context map flags parts and where the phases turn.
 *
 * @param longPartTokens     a part over this is flagged "long"
 * @param tooLongPartTokens  a part over this is flagged "too_long"
 * @param convergenceFill    fill (prompt tokens / max_context) from which a session is in CONVERGENCE
 * @param expansionFill      fill under which a CONVERGENCE session returns to EXPANSION (hysteresis)
 */
public record ContextConfig(long longPartTokens, long tooLongPartTokens, double convergenceFill, double expansionFill) {
  public static final ContextConfig DEFAULTS = new ContextConfig(6_000, 12_000, 0.60, 0.50);
}
