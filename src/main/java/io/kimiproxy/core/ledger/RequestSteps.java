package io.kimiproxy.core.ledger;

import io.vertx.core.json.JsonObject;

/**
 * What happened to a request on its way besides the provider's answer: how long it waited for
 * the rate limiter, and the steps that changed it. Counts only, never content.
 *
 * @param queueMs               time spent waiting in the rate limiter, over all its attempts
 * @param masked                large tool outputs the sanitizer replaced by a reference
 * @param redacted              secrets the sanitizer redacted
 * @param compactionSavedTokens prompt tokens a compaction removed (0 when none applied)
 * @param guardFlagged          tool calls of the answer a guardrail flagged
 * @param guardBlocked          tool calls of the answer a guardrail blocked
 */
public record RequestSteps(long queueMs, long masked, long redacted, long compactionSavedTokens,
                           long guardFlagged, long guardBlocked) {

  public void putInto(JsonObject json) {
    json.put("queue_ms", queueMs).put("masked", masked).put("redacted", redacted)
        .put("compaction_saved_tokens", compactionSavedTokens)
        .put("guard_flagged", guardFlagged).put("guard_blocked", guardBlocked);
  }

  /** The fields of {@link #putInto} as nulls: a row recorded without steps (an attempt, an older row). */
  public static void putNulls(JsonObject json) {
    json.putNull("queue_ms").putNull("masked").putNull("redacted").putNull("compaction_saved_tokens")
        .putNull("guard_flagged").putNull("guard_blocked");
  }

  /**
   * Filled in by the request's steps as it goes and read once when its row is recorded. The steps
   * of one request follow one another, but a guardrail may judge on another thread than the one
   * that reads: the counts are guarded.
   */
  public static final class Tally {
    private long queueMs;
    private long masked;
    private long redacted;
    private long compactionSavedTokens;
    private long guardFlagged;
    private long guardBlocked;

    public synchronized void queued(long ms) {
      queueMs += Math.max(0, ms);
    }

    public synchronized void sanitized(long maskedOutputs, long redactedSecrets) {
      masked += maskedOutputs;
      redacted += redactedSecrets;
    }

    /** The prompt's tokens saved by the compaction in force (the latest measure replaces the earlier). */
    public synchronized void compacted(long savedTokens) {
      compactionSavedTokens = Math.max(0, savedTokens);
    }

    public synchronized void guarded(boolean blocked) {
      if (blocked) guardBlocked++;
      else guardFlagged++;
    }

    public synchronized RequestSteps snapshot() {
      return new RequestSteps(queueMs, masked, redacted, compactionSavedTokens, guardFlagged, guardBlocked);
    }
  }
}
