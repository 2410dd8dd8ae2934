package io.kimiproxy.core.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.function.Function;

/**
 * The SQL engine under the stores: the embedded SQLite file (solo) or a team's PostgreSQL. Stores
 * write their SQL once, in the words both engines share, with {@code ?} placeholders; what differs
 * between the engines is here.
 */
public enum Dialect {
  SQLITE {
    @Override
    public String sql(String statement) {
      return statement;
    }

    /**
     * SQLite's own BEGIN IMMEDIATE / COMMIT on one connection. Vert.x's {@code Pool.withTransaction}
     * turns JDBC's autocommit off and leaves the connection that way, so later statements on it
     * would sit in a transaction that is never committed (invisible to other connections and lost
     * on a crash). IMMEDIATE takes the write lock at once, so a second writer waits on the busy
     * timeout instead of failing.
     */
    @Override
    public <T> Future<T> transaction(Pool pool, Function<SqlConnection, Future<T>> work) {
      return pool.withConnection(conn -> conn.query("BEGIN IMMEDIATE").execute()
          .compose(begun -> work.apply(conn).transform(result -> {
            if (result.succeeded()) {
              return conn.query("COMMIT").execute().map(result.result());
            }
            return conn.query("ROLLBACK").execute().transform(rolledBack -> Future.<T>failedFuture(result.cause()));
          })));
    }

    @Override
    public String utcDay(String epochMsColumn) {
      return "strftime('%Y-%m-%d', " + epochMsColumn + " / 1000, 'unixepoch')";
    }

    @Override
    public String arrivalOrder() {
      return "rowid";
    }
  },

  POSTGRES {
    @Override
    public String sql(String statement) {
      return Placeholders.numbered(statement);
    }

    /** The reactive client's transactions are sound: BEGIN, the work, COMMIT or ROLLBACK on one connection. */
    @Override
    public <T> Future<T> transaction(Pool pool, Function<SqlConnection, Future<T>> work) {
      return pool.withTransaction(work);
    }

    @Override
    public String utcDay(String epochMsColumn) {
      return "to_char(to_timestamp(" + epochMsColumn + " / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD')";
    }

    @Override
    public String arrivalOrder() {
      return "seq";
    }
  };

  /** The statement in this engine's placeholders. */
  public abstract String sql(String statement);

  /** Runs {@code work} in one transaction on one connection. */
  public abstract <T> Future<T> transaction(Pool pool, Function<SqlConnection, Future<T>> work);

  /** The UTC day ("2025-01-31") of a column of epoch milliseconds. */
  public abstract String utcDay(String epochMsColumn);

  /**
   * The column that orders rows of the tables without a sequence of their own (agent runs, cache
   * entries) by arrival: SQLite's rowid, a sequence PostgreSQL adds (migration 14).
   */
  public abstract String arrivalOrder();
}
