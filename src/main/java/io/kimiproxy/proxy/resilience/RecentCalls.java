package io.kimiproxy.proxy.resilience;

import java.util.Arrays;

/**
 * The last calls to one provider, in two fixed-size rings: how long each took to start answering,
 * and whether each failed through the provider's fault. Percentiles are computed when read, which
 * is rare (an API call) compared to writes (every call). Thread-safe.
 */
final class RecentCalls {
  private final long[] latencies;
  private final boolean[] failed;
  private int latencyCount;
  private int latencyNext;
  private int outcomeCount;
  private int outcomeNext;
  private long total;

  RecentCalls(int size) {
    latencies = new long[size];
    failed = new boolean[size];
  }

  /** Time from sending the request to the provider's response head. */
  synchronized void latency(long ms) {
    latencies[latencyNext] = ms;
    latencyNext = (latencyNext + 1) % latencies.length;
    latencyCount = Math.min(latencyCount + 1, latencies.length);
  }

  synchronized void outcome(boolean providerFault) {
    failed[outcomeNext] = providerFault;
    outcomeNext = (outcomeNext + 1) % failed.length;
    outcomeCount = Math.min(outcomeCount + 1, failed.length);
    total++;
  }

  /** The provider's status with this window's p50, p95, error rate and call count. */
  synchronized ProviderStatus status(String provider, String breaker) {
    long[] sorted = Arrays.copyOf(latencies, latencyCount);
    Arrays.sort(sorted);
    int failures = 0;
    for (int i = 0; i < outcomeCount; i++) {
      if (failed[i]) failures++;
    }
    double errorRate = outcomeCount == 0 ? 0.0 : (double) failures / outcomeCount;
    return new ProviderStatus(provider, breaker, percentile(sorted, 0.50), percentile(sorted, 0.95), errorRate, total);
  }

  /** Nearest-rank percentile: always a latency that was actually seen. */
  private static Long percentile(long[] sorted, double p) {
    if (sorted.length == 0) return null;
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }
}
