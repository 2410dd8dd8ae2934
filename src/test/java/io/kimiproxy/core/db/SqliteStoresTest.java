package io.kimiproxy.core.db;

import io.kimiproxy.testing.TestVertx;
import static io.kimiproxy.testing.TestProxy.await;

import io.kimiproxy.features.cache.CacheBodies;
import io.kimiproxy.features.cache.FileCacheBodies;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The repository suite on the embedded SQLite file: a new file per test. */
class SqliteStoresTest implements LedgerContract, FeatureStoresContract, CacheStoreContract {
  private Vertx vertx;
  private Database database;
  private Path folder;

  @BeforeEach
  void open() throws Exception {
    vertx = TestVertx.create();
    folder = Files.createTempDirectory("stores");
    database = await(Database.open(vertx, folder.resolve("kimi-proxy.db")));
  }

  @AfterEach
  void close() {
    await(database.close());
    await(vertx.close());
  }

  @Override
  public Storage storage() {
    return database;
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public CacheBodies cacheBodies() {
    return new FileCacheBodies(vertx, folder.resolve("cache"));
  }
}
