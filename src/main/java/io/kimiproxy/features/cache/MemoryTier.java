package io.kimiproxy.features.cache;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** The fast tier: least recently used answers, bounded by their estimated size in bytes. */
final class MemoryTier {
  private final long maxBytes;
  private final LinkedHashMap<String, CachedAnswer> entries = new LinkedHashMap<>(256, 0.75f, true);
  private long bytes;

  MemoryTier(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  synchronized CachedAnswer get(String key) {
    return entries.get(key);
  }

  synchronized void put(String key, CachedAnswer answer) {
    long size = answer.sizeEstimate();
    if (size > maxBytes) return;
    CachedAnswer old = entries.put(key, answer);
    if (old != null) bytes -= old.sizeEstimate();
    bytes += size;
    Iterator<Map.Entry<String, CachedAnswer>> eldest = entries.entrySet().iterator();
    while (bytes > maxBytes && eldest.hasNext()) {
      bytes -= eldest.next().getValue().sizeEstimate();
      eldest.remove();
    }
  }

  synchronized void remove(String key) {
    CachedAnswer old = entries.remove(key);
    if (old != null) bytes -= old.sizeEstimate();
  }

  synchronized void clear() {
    entries.clear();
    bytes = 0;
  }

  synchronized int size() {
    return entries.size();
  }

  synchronized long bytes() {
    return bytes;
  }
}
