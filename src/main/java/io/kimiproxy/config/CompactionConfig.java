package io.kimiproxy.config;

/**
 * {@code [compaction]}: replacing the middle of a long history by a summary.
 *
 * @param enabled              compaction may run at all (on demand, automatically, on overflow)
 * @param auto                 compact when a session is in CONVERGENCE
 * @param keepLastExchanges    the most recent exchanges that always stay intact
 * @param summarizerModel      alias that writes summaries, or null for the extractive summary only
 * @param cooldownSeconds      the least time between two automatic compactions of a session
 * @param maxConsecutiveAuto   automatic compactions allowed before the session is back in EXPANSION
 * @param reservedOutputTokens room kept for the answer when the client sets no max_tokens
 */
public record CompactionConfig(boolean enabled, boolean auto, int keepLastExchanges, String summarizerModel,
                               long cooldownSeconds, int maxConsecutiveAuto, long reservedOutputTokens) {
  public static final CompactionConfig DEFAULTS = new CompactionConfig(true, true, 4, null, 300, 3, 4_096);
}
