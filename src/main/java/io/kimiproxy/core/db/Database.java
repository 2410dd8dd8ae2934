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
import java.util.HashSet;
import java.util.Set;
import java.util.logging.Logger;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The embedded SQLite database behind a Vert.x JDBC pool: every statement runs on the pool's
 * worker threads, never on an event loop. WAL mode lets readers (the API) run beside the
 * batched writer; the busy timeout absorbs the short write locks.
 */
public final class Database extends OpenStorage {
  private static final Logger LOG = Logger.getLogger(Database.class.getName());
  private static final int BUSY_TIMEOUT_MS = 5_000;

  private final Path file;

  private Database(Vertx vertx, Pool pool, Path file) {
    super(pool, Dialect.SQLITE, new SqliteLedgerStore(pool), new SqliteMaintenance(vertx, pool, file));
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
      Pool pool = JDBCPool.pool(vertx, dataSource(file), new PoolOptions().setMaxSize(4).setName("kimi-proxy-db"));
      return new Database(vertx, pool, file);
    }, false).compose(db -> db.migrate().map(db).onFailure(e -> db.pool().close()));
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

  /** A local file has no outage to wait out: a failed write would fail again. */
  @Override
  public boolean unavailable(Throwable failure) {
    return false;
  }

  @Override
  public String describe() {
    return file.toString();
  }

  public Path file() {
    return file;
  }

  /** Applies every version not yet recorded, in order. */
  private Future<Void> migrate() {
    return pool().query("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL)")
        .execute()
        .compose(v -> pool().query("SELECT version FROM schema_version").execute())
        .compose(rows -> {
          Set<Integer> applied = new HashSet<>();
          rows.forEach(row -> applied.add(row.getInteger("version")));
          Future<Void> chain = Future.succeededFuture();
          for (Migrations.Migration m : Migrations.pending(applied)) {
            chain = chain.compose(v -> Dialect.SQLITE.transaction(pool(), conn -> apply(conn, m)));
          }
          return chain;
        });
  }

  private static Future<Void> apply(SqlConnection conn, Migrations.Migration migration) {
    Future<Void> chain = Future.succeededFuture();
    for (Migrations.Ddl ddl : migration.statements()) {
      String sql = ddl.in(Dialect.SQLITE);
      if (sql != null) chain = chain.compose(v -> conn.query(sql).execute().mapEmpty());
    }
    return chain
        .compose(v -> conn.preparedQuery("INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")
            .execute(Tuple.of(migration.version(), migration.description(), System.currentTimeMillis())))
        .onSuccess(v -> LOG.info("database schema migrated to version " + migration.version() + " (" + migration.description() + ")"))
        .mapEmpty();
  }
}
