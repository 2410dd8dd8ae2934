package io.kimiproxy.core;

import static io.kimiproxy.testing.TestProxy.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kimiproxy.core.db.Database;
import io.kimiproxy.core.db.SqliteLedgerStore;
import io.kimiproxy.core.ledger.RequestRecord;
import io.kimiproxy.core.model.Usage;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the pool writes is committed: another connection (a backup, the next start) sees it at once. */
class DatabaseCommitTest {

  @Test
  void should_commit_every_write_for_other_connections_to_see() throws Exception {
    Vertx vertx = Vertx.vertx();
    Path file = Files.createTempDirectory("commit").resolve("ledger.db");
    Database db = await(Database.open(vertx, file));
    try {
      SqliteLedgerStore store = new SqliteLedgerStore(db.pool());
      for (int i = 0; i < 4; i++) {
        await(store.append(List.of(row("r" + i))));
        await(db.pool().preparedQuery("UPDATE requests SET latency_ms = ? WHERE id = ?").execute(Tuple.of(i, "r" + i)));
        assertEquals(i + 1, outsideCount(file, "SELECT COUNT(*) FROM requests"));
        assertEquals(i + 1, outsideCount(file, "SELECT COUNT(*) FROM requests WHERE latency_ms = " + i + " OR id <> 'r" + i + "'"));
      }
      assertEquals(1, outsideCount(file, "SELECT COUNT(*) FROM sessions"));
    } finally {
      await(db.close());
      await(vertx.close());
    }
  }

  private static long outsideCount(Path file, String sql) throws Exception {
    try (var conn = DriverManager.getConnection("jdbc:sqlite:" + file); var rs = conn.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static RequestRecord row(String id) {
    return new RequestRecord(id, null, 1, "chat", System.currentTimeMillis(), "s1", "other", "m", "p", "u", false,
        200, null, null, null, new Usage(10, 2, 0, 0), false, 0.01, 5, 1L, 100, null, false, 0.0, "chat", null);
  }
}
