package io.kimiproxy.core.db;

import io.vertx.core.Future;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * How a request's own reads and writes ride out a database that cannot be reached (a team's
 * PostgreSQL restarting): a read finds nothing, a write is skipped, both logged, and the request
 * is answered without what the database would have added. Any other failure stays a failure.
 */
public final class Outage {
  private static final Logger LOG = Logger.getLogger(Outage.class.getName());

  private final Predicate<Throwable> unavailable;

  public Outage(Predicate<Throwable> unavailable) {
    this.unavailable = unavailable;
  }

  /** The read's result, or {@code nothing} when the database is unreachable. */
  public <T> Future<T> read(Future<T> read, String what, Supplier<T> nothing) {
    return read.recover(e -> {
      if (!unavailable.test(e)) return Future.failedFuture(e);
      LOG.warning(what + " not read, the database is unreachable: " + e.getMessage());
      return Future.succeededFuture(nothing.get());
    });
  }

  public Future<Void> write(Future<Void> write, String what) {
    return read(write, what, () -> null);
  }
}
