package io.kimiproxy.features.importers;

/**
 * The wait before the next look at a file: the base interval after the file changed, doubling
 * (up to a cap) each time it is found missing or unchanged, so an idle importer costs next to nothing.
 */
final class PollBackoff {
  private final long baseMs;
  private final long maxMs;
  private long currentMs;

  PollBackoff(long baseMs, long maxMs) {
    this.baseMs = baseMs;
    this.maxMs = maxMs;
    this.currentMs = baseMs;
  }

  long next(boolean changed) {
    if (changed) currentMs = baseMs;
    long wait = currentMs;
    currentMs = Math.min(maxMs, currentMs * 2);
    return wait;
  }
}
