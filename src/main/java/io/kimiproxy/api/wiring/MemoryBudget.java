package io.kimiproxy.api.wiring;

/**
 * How much of the heap the per-content caches may hold: decoded messages (for each client API),
 * token counts and the sanitizer's decisions. Shares of the JVM's maximum heap, so a proxy started with a larger
 * {@code -Xmx} remembers longer conversations, and one on the default 512 MB stays well inside it.
 */
public record MemoryBudget(long decodedBytes, long tokenBytes, long sanitizerBytes) {

  public static MemoryBudget ofHeap(long maxHeapBytes) {
    return new MemoryBudget(maxHeapBytes / 8, maxHeapBytes / 32, maxHeapBytes / 16);
  }
}
