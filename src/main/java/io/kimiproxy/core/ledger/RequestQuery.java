package io.kimiproxy.core.ledger;

/**
 * Which ledger rows to read: one session, or a time range [fromMs, toMs). Pages are keyed by the
 * row sequence so an export can walk any number of rows without holding them all.
 */
public record RequestQuery(String sessionId, long fromMs, long toMs) {
  public static RequestQuery session(String id) {
    return new RequestQuery(id, 0, Long.MAX_VALUE);
  }

  public static RequestQuery range(long fromMs, long toMs) {
    return new RequestQuery(null, fromMs, toMs);
  }
}
