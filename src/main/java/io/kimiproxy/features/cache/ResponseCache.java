package io.kimiproxy.features.cache;

import io.kimiproxy.config.CacheConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Answers kept to be replayed: an in-memory LRU in front of the stored answers ({@link CacheBodies}:
 * files on disk, or a team's PostgreSQL) and their index in the database, with a time to live. The
 * store is cleaned when it passes its size threshold (oldest first, always keeping the newest few)
 * and of anything past its maximum age. Every read and write is asynchronous: nothing here blocks
 * an event loop.
 */
public final class ResponseCache {
  private static final Logger LOG = Logger.getLogger(ResponseCache.class.getName());
  private static final Pattern KEY = Pattern.compile("[0-9a-f]{64}");
  private static final int PREVIEW = 200;
  private static final int PAGE = 500;

  private final CacheConfig config;
  private final CacheIndex index;
  private final CacheBodies bodies;
  private final MemoryTier memory;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private final AtomicReference<Future<CleanReport>> cleaning = new AtomicReference<>();

  public ResponseCache(CacheConfig config, CacheIndex index, CacheBodies bodies) {
    this.config = config;
    this.index = index;
    this.bodies = bodies;
    this.memory = new MemoryTier(config.memoryMaxBytes());
  }

  /** Answers whose body and index row are being written: served from memory meanwhile. */
  private final Map<String, Future<Void>> storing = new ConcurrentHashMap<>();

  public boolean enabled() {
    return config.enabled();
  }

  public static boolean validKey(String key) {
    return key != null && KEY.matcher(key).matches();
  }

  /** The cached answer, or null on a miss (absent or expired). */
  public Future<CachedAnswer> lookup(String key) {
    long now = System.currentTimeMillis();
    CachedAnswer inMemory = memory.get(key);
    Future<Void> stored = storing.get(key);
    if (inMemory != null && stored != null) {
      // Still being stored (the next identical request may come on another event loop before the
      // answer is written): it is already good to serve, and its hit is counted once its row exists.
      hits.incrementAndGet();
      stored.onSuccess(v -> index.recordHit(key, now));
      return Future.succeededFuture(inMemory);
    }
    Future<CachedAnswer> found = inMemory != null
        ? index.get(key).map(meta -> meta != null && meta.expiresMs() > now ? inMemory : null)
        : index.get(key).compose(meta -> meta == null || meta.expiresMs() <= now ? Future.succeededFuture(null)
            : bodies.read(key).map(body -> body == null ? null : CachedAnswer.fromBuffer(body)));
    // A store that cannot be read (the database away) is a miss: the request is answered by its provider.
    return found.recover(e -> {
      LOG.warning("cache not read: " + e.getMessage());
      return Future.succeededFuture(null);
    }).compose(answer -> {
      if (answer == null) {
        misses.incrementAndGet();
        return Future.succeededFuture(null);
      }
      hits.incrementAndGet();
      memory.put(key, answer);
      return index.recordHit(key, now).otherwise((Void) null).map(answer);
    });
  }

  public Future<Void> store(String key, CachedAnswer answer, String client) {
    long now = System.currentTimeMillis();
    var bytes = answer.toBuffer();
    CacheEntryMeta meta = new CacheEntryMeta(key, now, now + config.ttlMs(), bytes.length(), answer.model(), client,
        answer.stream(), answer.promptTokens(), answer.completionTokens(), answer.costUsd(), answer.preview(PREVIEW), 0, 0);
    memory.put(key, answer);
    Future<Void> stored = bodies.write(key, bytes).compose(v -> index.put(meta));
    storing.put(key, stored);
    return stored
        .onComplete(done -> storing.remove(key, stored))
        .onFailure(e -> memory.remove(key))
        .onSuccess(v -> {
          index.totalBytes().onSuccess(total -> {
            if (total > config.autoCleanThresholdBytes()) autoClean();
          });
        });
  }

  public Future<Boolean> delete(String key) {
    memory.remove(key);
    return index.get(key).compose(meta -> meta == null ? Future.succeededFuture(false)
        : index.delete(key).compose(v -> bodies.delete(key)).map(true));
  }

  public Future<Void> clear() {
    memory.clear();
    return index.clear().compose(v -> bodies.clear());
  }

  /**
   * Removes expired entries and those past the maximum age, then, while the store is over its
   * threshold, the oldest ones, never touching the {@code keep_count} newest. One clean-up at a time.
   */
  public Future<CleanReport> autoClean() {
    // A second caller (the endpoint while a store's clean-up runs) shares the running one's report.
    Promise<CleanReport> mine = Promise.promise();
    Future<CleanReport> current = cleaning.compareAndExchange(null, mine.future());
    if (current != null) return current;
    clean().onComplete(ar -> {
      cleaning.set(null);
      mine.handle(ar);
    });
    return mine.future();
  }

  private Future<CleanReport> clean() {
    long now = System.currentTimeMillis();
    Counter removed = new Counter();
    return index.count().compose(total -> sweep(now, total, removed))
        .compose(v -> index.totalBytes())
        .compose(bytes -> index.count().map(count -> new CleanReport(removed.expired, removed.tooOld, removed.forSize,
            removed.bytes, bytes, count)))
        .onSuccess(r -> {
          if (r.expired() + r.tooOld() + r.forSize() > 0) LOG.info("cache clean-up: " + r.toJson().encode());
        });
  }

  private static final class Counter {
    int expired;
    int tooOld;
    int forSize;
    long bytes;
  }

  private Future<Void> sweep(long now, long total, Counter removed) {
    return index.totalBytes().compose(bytes -> index.oldest(PAGE).compose(page -> {
      long count = total - removed.expired - removed.tooOld - removed.forSize;
      Future<Void> chain = Future.succeededFuture();
      long remainingBytes = bytes;
      long remainingCount = count;
      boolean removedAny = false;
      for (CacheEntryMeta e : page) {
        boolean expired = e.expiresMs() <= now;
        boolean tooOld = now - e.createdMs() > config.maxAgeMs();
        boolean forSize = remainingBytes > config.autoCleanThresholdBytes() && remainingCount > config.keepCount();
        if (!expired && !tooOld && !forSize) break; // oldest first: nothing after this one qualifies by age
        if (expired) removed.expired++; else if (tooOld) removed.tooOld++; else removed.forSize++;
        removed.bytes += e.sizeBytes();
        remainingBytes -= e.sizeBytes();
        remainingCount--;
        removedAny = true;
        chain = chain.compose(v -> remove(e.key()));
      }
      boolean more = removedAny && page.size() == PAGE;
      return more ? chain.compose(v -> sweep(now, total, removed)) : chain;
    }));
  }

  private Future<Void> remove(String key) {
    memory.remove(key);
    return index.delete(key).compose(v -> bodies.delete(key));
  }

  public Future<JsonObject> stats() {
    return index.count().compose(count -> index.totalBytes().map(bytes -> new JsonObject()
        .put("enabled", config.enabled())
        .put("entries", count)
        .put("size_bytes", bytes)
        .put("memory_entries", memory.size())
        .put("memory_bytes", memory.bytes())
        .put("hits", hits.get())
        .put("misses", misses.get())
        .put("auto_clean_threshold_bytes", config.autoCleanThresholdBytes())
        .put("keep_count", config.keepCount())
        .put("max_age_days", config.maxAgeMs() / 86_400_000L)));
  }

  public Future<List<CacheEntryMeta>> entries(int limit) {
    return index.newest(limit);
  }
}
