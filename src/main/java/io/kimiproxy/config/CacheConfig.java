package io.kimiproxy.config;

import java.nio.file.Path;

/**
 * The response cache ({@code [cache]}); off unless enabled.
 *
 * @param dir                  where answers are stored as files (indexed in SQLite)
 * @param memoryMaxBytes       size bound of the in-memory tier
 * @param autoCleanThresholdBytes above this size on disk, the oldest entries go first
 * @param keepCount            entries always kept by the size clean-up (the newest)
 * @param maxAgeMs             entries older than this go at every clean-up
 */
public record CacheConfig(boolean enabled, long ttlMs, Path dir, long memoryMaxBytes, long autoCleanThresholdBytes,
                          int keepCount, long maxAgeMs) {

  public static CacheConfig disabled(Path dir) {
    return new CacheConfig(false, 86_400_000L, dir, 64L << 20, 500L << 20, 5, 30L * 86_400_000L);
  }
}
