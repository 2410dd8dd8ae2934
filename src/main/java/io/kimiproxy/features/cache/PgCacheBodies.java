package io.kimiproxy.features.cache;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/**
 * Cached answers in the team's PostgreSQL (table cache_bodies), readable by every instance. The
 * store's size is bounded by the cache's own clean-up ({@code auto_clean_threshold_mb}), which is
 * why they live here and not in Redis' memory; each instance keeps its memory tier in front.
 */
public final class PgCacheBodies implements CacheBodies {
  private final Pool pool;

  public PgCacheBodies(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Void> write(String key, Buffer body) {
    return pool.preparedQuery("INSERT INTO cache_bodies (key, body) VALUES ($1, $2)"
            + " ON CONFLICT (key) DO UPDATE SET body = excluded.body")
        .execute(Tuple.of(key, body)).mapEmpty();
  }

  @Override
  public Future<Buffer> read(String key) {
    return pool.preparedQuery("SELECT body FROM cache_bodies WHERE key = $1").execute(Tuple.of(key))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getBuffer("body"));
  }

  @Override
  public Future<Void> delete(String key) {
    return pool.preparedQuery("DELETE FROM cache_bodies WHERE key = $1").execute(Tuple.of(key)).mapEmpty();
  }

  @Override
  public Future<Void> clear() {
    return pool.query("DELETE FROM cache_bodies").execute().mapEmpty();
  }
}
