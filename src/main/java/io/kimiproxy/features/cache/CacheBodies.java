package io.kimiproxy.features.cache;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * Where the cached answers themselves are kept, apart from their index: files beside the SQLite
 * database for one proxy, a table of the team's PostgreSQL for several, so that an answer one
 * instance kept is replayed by every other.
 */
public interface CacheBodies {
  Future<Void> write(String key, Buffer body);

  /** The body, or null when it is not there (any more). */
  Future<Buffer> read(String key);

  Future<Void> delete(String key);

  Future<Void> clear();
}
