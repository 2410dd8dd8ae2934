package io.kimiproxy.bench;

import java.util.Arrays;

/**
 * Latencies of one run, in nanoseconds, in a plain array: a run is bounded (a rate times a
 * duration, or a time limit), so exact percentiles from a sort cost nothing worth a histogram
 * library. Written from one event loop, read after the run has completed.
 */
final class Samples {
  private long[] nanos;
  private int count;
  private int errors;

  Samples(int expected) {
    nanos = new long[Math.max(16, expected)];
  }

  void record(long latencyNanos) {
    if (count == nanos.length) nanos = Arrays.copyOf(nanos, count * 2);
    nanos[count++] = latencyNanos;
  }

  /** A request that failed or never answered: counted, kept out of the percentiles. */
  void error() {
    errors++;
  }

  /** Another run of the same measure (runs alternate sides to spread the machine's noise evenly). */
  void addAll(Samples other) {
    for (int i = 0; i < other.count; i++) record(other.nanos[i]);
    errors += other.errors;
  }

  int count() {
    return count;
  }

  int errors() {
    return errors;
  }

  /** The nearest-rank percentile in milliseconds, or NaN when nothing was recorded. */
  double percentileMs(double percentile) {
    if (count == 0) return Double.NaN;
    long[] sorted = Arrays.copyOf(nanos, count);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(percentile / 100.0 * count);
    return sorted[Math.max(0, Math.min(count, rank) - 1)] / 1e6;
  }
}
