package io.kimiproxy.features.cache;

import io.vertx.core.Future;
import java.util.List;

/** Where the response cache keeps track of its disk entries. */
public interface CacheIndex {
  Future<Void> put(CacheEntryMeta entry);

  /** The entry, or null. */
  Future<CacheEntryMeta> get(String key);

  Future<Void> recordHit(String key, long nowMs);

  /** Newest first. */
  Future<List<CacheEntryMeta>> newest(int limit);

  /** Oldest first: the clean-up order. */
  Future<List<CacheEntryMeta>> oldest(int limit);

  Future<Long> totalBytes();

  Future<Long> count();

  Future<Void> delete(String key);

  Future<Void> clear();
}
