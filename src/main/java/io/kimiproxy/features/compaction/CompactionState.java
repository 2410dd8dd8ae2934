package io.kimiproxy.features.compaction;

/**
 * A session's compaction bookkeeping.
 *
 * @param pending          a compaction was asked for and runs on the session's next request
 * @param lastMs           when the session was last compacted (0: never)
 * @param consecutiveAuto  automatic compactions since the session was last in EXPANSION
 */
public record CompactionState(String sessionId, boolean pending, long lastMs, int consecutiveAuto) {
  public static CompactionState fresh(String sessionId) {
    return new CompactionState(sessionId, false, 0, 0);
  }
}
