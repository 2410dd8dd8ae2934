package io.kimiproxy.core.db;

import io.kimiproxy.testing.TestVertx;
import static io.kimiproxy.core.db.StorageUnderTest.chat;
import static io.kimiproxy.testing.TestProxy.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kimiproxy.core.ledger.RequestQuery;
import io.kimiproxy.features.cache.CacheBodies;
import io.kimiproxy.features.cache.PgCacheBodies;
import io.kimiproxy.testing.engines.PostgresEngine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The repository suite on a real PostgreSQL (one server for the class, a new database per test),
 * and what only PostgreSQL does: partitions, a batch written twice, instances migrating together.
 */
class PostgresStoresTest implements LedgerContract, FeatureStoresContract, CacheStoreContract {
  @RegisterExtension static final PostgresEngine PG = new PostgresEngine();

  private Vertx vertx;
  private PgDatabase database;
  private String url;

  @BeforeEach
  void open() {
    vertx = TestVertx.create();
    url = PG.newDatabase();
    database = await(PgDatabase.open(vertx, url, 4));
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
    return new PgCacheBodies(database.pool());
  }

  @Test
  void should_count_a_batch_written_again_after_an_unsure_commit_once() {
    var rows = List.of(chat("a", "s", T0, 100, 10, 0.5), chat("b", "s", T0 + 1, 100, 10, 0.5));
    await(database.ledger().append(rows));
    await(database.ledger().append(rows));
    assertEquals(2, await(database.ledger().requests(RequestQuery.session("s"), 0, 10)).rows().size());
    assertEquals(2, await(database.ledger().session("s")).requestCount());
  }

  @Test
  void should_keep_each_day_of_the_ledger_in_its_own_partition() {
    append(chat("a", "s", T0 + 5, 1, 1, 0), chat("b", "s", T0 + DAY + 5, 1, 1, 0));
    List<String> before = await(new RequestPartitions().before(database.pool(), T0 + 2 * DAY));
    assertEquals(List.of("requests_p20250101", "requests_p20250102"), before);
  }

  @Test
  void should_migrate_once_when_instances_start_together() {
    String fresh = PG.newDatabase();
    List<Future<PgDatabase>> opening = List.of(PgDatabase.open(vertx, fresh, 2), PgDatabase.open(vertx, fresh, 2),
        PgDatabase.open(vertx, fresh, 2));
    List<PgDatabase> opened = await(Future.all(opening)).list();
    long versions = await(opened.get(0).pool().query("SELECT COUNT(*) AS n FROM schema_version").execute())
        .iterator().next().getLong("n");
    assertEquals(Migrations.ALL.size(), versions);
    opened.forEach(db -> await(db.close()));
  }
}
