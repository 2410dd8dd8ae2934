package io.kimiproxy.core.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * A team's PostgreSQL through the Vert.x reactive client: no thread waits on it, statements of a
 * batch are pipelined on one connection. The schema is the same versioned migrations as SQLite's,
 * applied under an advisory lock so that instances starting together migrate once.
 */
public final class PgDatabase extends OpenStorage {
  private static final Logger LOG = Logger.getLogger(PgDatabase.class.getName());
  private static final int CONNECT_TIMEOUT_MS = 5_000;
  /** Statements waiting for a connection: beyond, they fail at once instead of piling up. */
  private static final int MAX_WAITING = 1_000;
  /** Held while migrating, by every instance: an arbitrary constant of the proxy's. */
  private static final long MIGRATION_LOCK = 0x6b70_6d69_6772L;

  private final String where;
  private final RequestPartitions partitions;

  private PgDatabase(Pool pool, String where, RequestPartitions partitions) {
    super(pool, Dialect.POSTGRES, new PgLedgerStore(pool, partitions), new PgMaintenance(pool, where, partitions));
    this.where = where;
    this.partitions = partitions;
  }

  /**
   * Connects, migrates, and creates today's and tomorrow's ledger partitions.
   *
   * @param url {@code postgresql://user:password@host:port/database}
   */
  public static Future<PgDatabase> open(Vertx vertx, String url, int poolSize) {
    PgConnectOptions connect;
    try {
      connect = PgConnectOptions.fromUri(url);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new IllegalArgumentException("[storage] url is not a PostgreSQL URL"));
    }
    connect.setCachePreparedStatements(true);
    // "already exists, skipping" of the IF NOT EXISTS that instances race to run is not worth a log line.
    connect.addProperty("client_min_messages", "warning");
    Pool pool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(poolSize).setName("kimi-proxy-pg").setMaxWaitQueueSize(MAX_WAITING)
            .setConnectionTimeout(CONNECT_TIMEOUT_MS).setConnectionTimeoutUnit(TimeUnit.MILLISECONDS))
        .with(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS))
        .connectingTo(connect)
        .using(vertx)
        .build();
    String where = "postgresql://" + connect.getHost() + ":" + connect.getPort() + "/" + connect.getDatabase();
    PgDatabase db = new PgDatabase(pool, where, new RequestPartitions());
    return db.migrate()
        .compose(v -> db.partitions.ahead(pool, System.currentTimeMillis()))
        .map(db)
        .onFailure(e -> pool.close());
  }

  /**
   * The server is down, restarting, out of connections, or the network failed: worth another try
   * later. An error the server reported about the statement itself (a constraint, a type) is not.
   */
  @Override
  public boolean unavailable(Throwable failure) {
    if (failure instanceof PgException pg) {
      String state = pg.getSqlState() == null ? "" : pg.getSqlState();
      return state.startsWith("08") || state.startsWith("57P") || state.equals("53300") || state.startsWith("40");
    }
    return failure instanceof VertxException || failure instanceof IOException || failure instanceof TimeoutException
        || failure instanceof IllegalStateException;
  }

  @Override
  public String describe() {
    return where;
  }

  private Future<Void> migrate() {
    return pool().withConnection(conn -> conn.query("SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")").execute()
        .compose(locked -> conn.query("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY,"
            + " description TEXT NOT NULL, applied_at BIGINT NOT NULL)").execute())
        .compose(v -> conn.query("SELECT version FROM schema_version").execute())
        .compose(rows -> {
          Set<Integer> applied = new HashSet<>();
          rows.forEach(row -> applied.add(row.getInteger("version")));
          Future<Void> chain = Future.succeededFuture();
          for (Migrations.Migration m : Migrations.pending(applied)) {
            chain = chain.compose(v -> apply(conn, m));
          }
          return chain;
        })
        .eventually(() -> conn.query("SELECT pg_advisory_unlock(" + MIGRATION_LOCK + ")").execute()));
  }

  private static Future<Void> apply(SqlConnection conn, Migrations.Migration migration) {
    return conn.begin().compose(tx -> {
      Future<Void> chain = Future.succeededFuture();
      for (Migrations.Ddl ddl : migration.statements()) {
        String sql = ddl.in(Dialect.POSTGRES);
        if (sql != null) chain = chain.compose(v -> conn.query(sql).execute().mapEmpty());
      }
      return chain
          .compose(v -> conn.preparedQuery("INSERT INTO schema_version (version, description, applied_at) VALUES ($1, $2, $3)")
              .execute(Tuple.of(migration.version(), migration.description(), System.currentTimeMillis())))
          .compose(v -> tx.commit())
          .recover(e -> tx.rollback().transform(r -> Future.<Void>failedFuture(e)));
    }).onSuccess(v -> LOG.info("database schema migrated to version " + migration.version() + " ("
        + migration.description() + ")"));
  }
}
