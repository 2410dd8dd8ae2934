package io.kimiproxy.core.db;

import io.kimiproxy.core.util.PrivateFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Logger;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The embedded SQLite database behind a Vert.x JDBC pool: every statement runs on the pool's
 * worker threads, never on an event loop. WAL mode lets readers (the API) run beside the
 * batched writer; the busy timeout absorbs the short write locks.
 */
public final class Database {
  private static final Logger LOG = Logger.getLogger(Database.class.getName());
  private static final int BUSY_TIMEOUT_MS = 5_000;

  private final Pool pool;
  private final Path file;

  private Database(Pool pool, Path file) {
    this.pool = pool;
    this.file = file;
  }

  /**
   * Opens (creating if needed) the database file and brings its schema up to date. The file is
   * made 0600 before SQLite opens it: SQLite gives its -wal and -shm files the database's mode.
   */
  public static Future<Database> open(Vertx vertx, Path file) {
    // On a worker: creating the folder blocks, and the first pool of a process loads the JDBC
    // client's classes, hundreds of milliseconds an event loop must not spend.
    return vertx.executeBlocking(() -> {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) PrivateFiles.folder(parent);
      PrivateFiles.file(file);
      for (String suffix : new String[] {"-wal", "-shm"}) PrivateFiles.tighten(Path.of(file + suffix));
      // The pool is made here too: its first creation loads the JDBC driver's classes.
      return new Database(JDBCPool.pool(vertx, dataSource(file), new PoolOptions().setMaxSize(4).setName("kimi-proxy-db")), file);
    }, false).compose(db -> db.migrate().map(db).onFailure(e -> db.pool.close()));
  }

  static SQLiteDataSource dataSource(Path file) {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    config.enforceForeignKeys(true);
    SQLiteDataSource ds = new SQLiteDataSource(config);
    ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
    return ds;
  }

  public Pool pool() {
    return pool;
  }

  public Path file() {
    return file;
  }

  /**
   * Runs {@code work} in one transaction on one connection, with SQLite's own BEGIN IMMEDIATE /
   * COMMIT. Vert.x's {@code Pool.withTransaction} turns autocommit off and leaves the connection
   * that way, so later statements on it would sit in a transaction that is never committed
   * (invisible to other connections and lost on a crash). Use this instead.
   */
  public <T> Future<T> transaction(Function<SqlConnection, Future<T>> work) {
    return inTransaction(pool, work);
  }

  public static <T> Future<T> inTransaction(Pool pool, Function<SqlConnection, Future<T>> work) {
    return pool.withConnection(conn -> conn.query("BEGIN IMMEDIATE").execute()
        .compose(begun -> work.apply(conn).transform(result -> {
          if (result.succeeded()) {
            return conn.query("COMMIT").execute().map(result.result());
          }
          return conn.query("ROLLBACK").execute().transform(rolledBack -> Future.<T>failedFuture(result.cause()));
        })));
  }

  public Future<Void> close() {
    return pool.close();
  }

  /** Applies every version not yet recorded, in order (versions written in parallel may land out of order). */
  private Future<Void> migrate() {
    return pool.query("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL)")
        .execute()
        .compose(v -> pool.query("SELECT version FROM schema_version").execute())
        .compose(rows -> {
          Set<Integer> applied = new HashSet<>();
          rows.forEach(row -> applied.add(row.getInteger("version")));
          Future<Void> chain = Future.succeededFuture();
          for (Migrations.Migration m : Migrations.ALL.stream()
              .sorted(Comparator.comparingInt(Migrations.Migration::version)).toList()) {
            if (!applied.contains(m.version())) {
              chain = chain.compose(v -> inTransaction(pool, conn -> apply(conn, m)));
            }
          }
          return chain;
        });
  }

  private static Future<Void> apply(SqlConnection conn, Migrations.Migration migration) {
    Future<Void> chain = Future.succeededFuture();
    for (String sql : migration.statements()) {
      chain = chain.compose(v -> conn.query(sql).execute().mapEmpty());
    }
    return chain
        .compose(v -> conn.preparedQuery("INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")
            .execute(Tuple.of(migration.version(), migration.description(), System.currentTimeMillis())))
        .onSuccess(v -> LOG.info("database schema migrated to version " + migration.version() + " (" + migration.description() + ")"))
        .mapEmpty();
  }
}
