package io.kimiproxy.core.util;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * A least-recently-used cache bounded by the bytes its values weigh, not by their number: a
 * cache of per-message results must hold a thousand small messages or a few huge ones alike,
 * and never grow the heap past its share. Split into segments so threads rarely wait for each
 * other; a value is computed outside any lock (two threads may compute the same one: the work is
 * pure, the later one wins).
 */
public final class BoundedCache<K, V> {
  private static final long ENTRY_OVERHEAD = 64;
  private final Segment<K, V>[] segments;
  private final ToLongFunction<V> weigher;

  /** @param weigher an estimate of a value's size in bytes (its key and the entry are added) */
  @SuppressWarnings("unchecked")
  public BoundedCache(long maxBytes, ToLongFunction<V> weigher) {
    int count = Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors()) * 4);
    this.segments = new Segment[count];
    for (int i = 0; i < count; i++) segments[i] = new Segment<>(Math.max(1, maxBytes / count));
    this.weigher = weigher;
  }

  public V get(K key) {
    Segment<K, V> segment = segment(key);
    synchronized (segment) {
      Weighed<V> hit = segment.map.get(key);
      return hit == null ? null : hit.value;
    }
  }

  public void put(K key, V value) {
    long weight = weigher.applyAsLong(value) + ENTRY_OVERHEAD;
    Segment<K, V> segment = segment(key);
    synchronized (segment) {
      if (weight > segment.maxBytes) return; // larger than the whole segment: caching it would evict everything
      Weighed<V> old = segment.map.put(key, new Weighed<>(value, weight));
      segment.bytes += weight - (old == null ? 0 : old.weight);
      Iterator<Weighed<V>> eldest = segment.map.values().iterator();
      while (segment.bytes > segment.maxBytes && eldest.hasNext()) {
        segment.bytes -= eldest.next().weight;
        eldest.remove();
      }
    }
  }

  public void remove(K key) {
    Segment<K, V> segment = segment(key);
    synchronized (segment) {
      Weighed<V> old = segment.map.remove(key);
      if (old != null) segment.bytes -= old.weight;
    }
  }

  /** The cached value, or the one {@code compute} makes (then cached). */
  public V get(K key, Function<K, V> compute) {
    V hit = get(key);
    if (hit != null) return hit;
    V value = compute.apply(key);
    if (value != null) put(key, value);
    return value;
  }

  public long bytes() {
    long total = 0;
    for (Segment<K, V> s : segments) {
      synchronized (s) {
        total += s.bytes;
      }
    }
    return total;
  }

  public void clear() {
    for (Segment<K, V> s : segments) {
      synchronized (s) {
        s.map.clear();
        s.bytes = 0;
      }
    }
  }

  private Segment<K, V> segment(K key) {
    int h = key.hashCode();
    return segments[(h ^ (h >>> 16)) & (segments.length - 1)];
  }

  private record Weighed<V>(V value, long weight) {}

  private static final class Segment<K, V> {
    final long maxBytes;
    final Map<K, Weighed<V>> map = new LinkedHashMap<>(64, 0.75f, true);
    long bytes;

    Segment(long maxBytes) {
      this.maxBytes = maxBytes;
    }
  }
}
