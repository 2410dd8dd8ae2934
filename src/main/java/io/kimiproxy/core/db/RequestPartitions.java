package io.kimiproxy.core.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ledger's requests on PostgreSQL are partitioned by UTC day of {@code ts}: one table
 * {@code requests_pYYYYMMDD} per day, created when a row of that day is first written (and the next
 * day's ahead of time). Retention then drops whole days, which frees their space at once, where a
 * DELETE would leave dead rows to vacuum. Instances create partitions under an advisory lock, so
 * two of them writing the first row of a day at once do not collide.
 */
final class RequestPartitions {
  static final long DAY_MS = 86_400_000L;
  private static final String PREFIX = "requests_p";
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
  /** Held while creating partitions, by every instance: an arbitrary constant of the proxy's. */
  private static final long LOCK = 0x6b70_7061_7274L;

  private final Set<Long> known = ConcurrentHashMap.newKeySet();

  /** Creates the missing partitions for these timestamps on {@code client} (in the caller's transaction). */
  Future<Void> ensure(SqlClient client, Collection<Long> timestamps) {
    Set<Long> days = new TreeSet<>();
    for (long ts : timestamps) {
      long day = Math.floorDiv(ts, DAY_MS) * DAY_MS;
      if (!known.contains(day)) days.add(day);
    }
    if (days.isEmpty()) return Future.succeededFuture();
    Future<Void> chain = client.query("SELECT pg_advisory_xact_lock(" + LOCK + ")").execute().mapEmpty();
    for (long day : days) {
      chain = chain.compose(v -> client.query("CREATE TABLE IF NOT EXISTS " + name(day) + " PARTITION OF requests"
          + " FOR VALUES FROM (" + day + ") TO (" + (day + DAY_MS) + ")").execute().mapEmpty());
    }
    return chain;
  }

  /** After the transaction that created them committed: they need no check again. */
  void created(Collection<Long> timestamps) {
    timestamps.forEach(ts -> known.add(Math.floorDiv(ts, DAY_MS) * DAY_MS));
  }

  /** Today's and tomorrow's partitions, so the first rows of a day do not wait for one. */
  Future<Void> ahead(Pool pool, long nowMs) {
    List<Long> days = List.of(nowMs, nowMs + DAY_MS);
    return pool.withTransaction(conn -> ensure(conn, days)).onSuccess(v -> created(days));
  }

  /** Partitions wholly before {@code cutoffMs}, oldest first. */
  Future<List<String>> before(Pool pool, long cutoffMs) {
    return pool.query("SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
        + " WHERE i.inhparent = 'requests'::regclass ORDER BY c.relname").execute().map(rows -> {
          List<String> out = new ArrayList<>();
          for (Row row : rows) {
            String name = row.getString("name");
            Long start = start(name);
            if (start != null && start + DAY_MS <= cutoffMs) out.add(name);
          }
          return out;
        });
  }

  /** Forgets a dropped partition, so a late row of its day would create it again. */
  void dropped(String name) {
    Long start = start(name);
    if (start != null) known.remove(start);
  }

  static String name(long dayStartMs) {
    return PREFIX + DAY.format(Instant.ofEpochMilli(dayStartMs).atZone(ZoneOffset.UTC));
  }

  /** The day a partition's name stands for, or null for a table that is not one of ours. */
  static Long start(String name) {
    if (!name.startsWith(PREFIX) || name.length() != PREFIX.length() + 8) return null;
    try {
      return LocalDate.parse(name.substring(PREFIX.length()), DAY).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    } catch (java.time.DateTimeException e) {
      return null;
    }
  }
}
