package io.kimiproxy.features.sanitizer;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/** Masked originals and the sanitizer's counts per session. */
public interface SanitizerStore {

  /** Keeps originals; one already stored under the same hash is left as it is. */
  Future<Void> saveMasks(List<MaskedOutput> masks);

  /** An original by its hash, or null. */
  Future<MaskedOutput> mask(String hash);

  /** Adds one request's counts to its session's. */
  Future<Void> addCounts(String sessionId, SanitizerCounts counts);

  /** The counts of all sessions together. */
  Future<SanitizerCounts> totals();

  /** The counts of the most recently sanitized sessions. */
  Future<Map<String, SanitizerCounts>> bySession(int limit);
}
