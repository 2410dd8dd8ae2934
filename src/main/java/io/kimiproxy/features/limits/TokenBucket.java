package io.kimiproxy.features.limits;

/**
 * A bucket holding up to {@code capacity} units, refilled continuously at capacity per minute (the
 * scheme providers themselves use). It may go below zero when a request turns out to have cost
 * more than its estimate; later requests then wait for the debt to refill. Not thread-safe: the
 * {@link RateLimiter} guards it.
 */
final class TokenBucket {
  private static final double NANOS_PER_MINUTE = 60e9;

  private final long capacity;
  private double available;
  private long lastRefillNanos;

  TokenBucket(long capacity, long nowNanos) {
    this.capacity = capacity;
    this.available = capacity;
    this.lastRefillNanos = nowNanos;
  }

  long capacity() {
    return capacity;
  }

  boolean has(long units, long nowNanos) {
    refill(nowNanos);
    return available >= units;
  }

  void take(long units, long nowNanos) {
    refill(nowNanos);
    available -= units;
  }

  /** Gives back (negative: takes more) once the real cost is known. */
  void adjust(long units, long nowNanos) {
    refill(nowNanos);
    available = Math.min(capacity, available + units);
  }

  /** Nanoseconds until {@code units} are available (0 when they are now). */
  long nanosUntil(long units, long nowNanos) {
    refill(nowNanos);
    double missing = units - available;
    return missing <= 0 ? 0 : (long) Math.ceil(missing * NANOS_PER_MINUTE / capacity);
  }

  long used(long nowNanos) {
    refill(nowNanos);
    return Math.max(0, Math.round(capacity - available));
  }

  private void refill(long nowNanos) {
    long elapsed = nowNanos - lastRefillNanos;
    if (elapsed > 0) {
      available = Math.min(capacity, available + elapsed * capacity / NANOS_PER_MINUTE);
      lastRefillNanos = nowNanos;
    }
  }
}
