package io.kimiproxy.api.governance;

import static io.kimiproxy.testing.Stubs.chat;
import static io.kimiproxy.testing.Stubs.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.Ledger;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Ledger retention through POST /api/recovery/prune (the hourly pass, on demand): rows and
 * sessions older than retention_days go, in batches, and recent ones stay. The old rows are real
 * requests made through the proxy, then aged in the SQLite file while the proxy is stopped.
 */
class RetentionTest {
  private static final String STORAGE = "retention_days = 30";
  private static final long DAY_MS = 86_400_000L;
  /** More than two of the job's 500-row batches. */
  private static final int EXTRA_OLD_ROWS = 1200;

  @Test
  void should_prune_rows_and_sessions_past_retention_in_batches_and_keep_recent_ones() throws Exception {
    Path folder = Files.createTempDirectory("kimi-proxy-retention");
    String oldSession = TestProxy.newSession();
    String recentSession = TestProxy.newSession();
    try (TestProxy first = TestProxy.startIn(folder, TestProxy.ONE_PROVIDER, "", STORAGE)) {
      first.upstream().stubFor(chat().willReturn(ok()));
      assertEquals(200, first.chat("test/model", false, oldSession).statusCode());
      assertEquals(200, first.chat("test/model", false, recentSession).statusCode());
      Ledger.rows(first, oldSession);
      Ledger.rows(first, recentSession);
    }
    age(folder.resolve("test.db"), oldSession, 100);

    try (TestProxy proxy = TestProxy.startIn(folder, TestProxy.ONE_PROVIDER, "", STORAGE)) {
      assertEquals(List.of(recentSession, oldSession), listedSessions(proxy, oldSession, recentSession));

      HttpResponse<String> pruned = proxy.post("/api/recovery/prune", "");
      assertEquals(200, pruned.statusCode(), pruned.body());
      JsonObject counts = new JsonObject(pruned.body());
      assertEquals(EXTRA_OLD_ROWS + 1, counts.getInteger("requests_deleted"), counts.encode());
      assertEquals(1, counts.getInteger("sessions_deleted"), counts.encode());
      long cutoff = counts.getLong("cutoff");
      assertTrue(Math.abs(System.currentTimeMillis() - 30 * DAY_MS - cutoff) < DAY_MS, "30 days back: " + cutoff);

      assertEquals(List.of(recentSession), listedSessions(proxy, oldSession, recentSession));
      assertEquals(404, proxy.get("/api/sessions/" + oldSession).statusCode());
      assertEquals(1, Ledger.session(proxy, recentSession).getJsonArray("requests").size(), "recent rows stay");

      JsonObject again = new JsonObject(proxy.post("/api/recovery/prune", "").body());
      assertEquals(0, again.getInteger("requests_deleted"), "nothing left to prune: " + again.encode());
    }
    assertEquals(1, count(folder.resolve("test.db"), "SELECT COUNT(*) FROM requests"), "only the recent row");
  }

  /** Which of these sessions GET /api/sessions lists, in its order (most recent first). */
  private static List<String> listedSessions(TestProxy proxy, String... ids) {
    HttpResponse<String> response = proxy.get("/api/sessions?limit=1000");
    assertEquals(200, response.statusCode(), response.body());
    List<String> wanted = List.of(ids);
    List<String> listed = new ArrayList<>();
    for (Object s : new JsonObject(response.body()).getJsonArray("data")) {
      String id = ((JsonObject) s).getString("id");
      if (wanted.contains(id)) listed.add(id);
    }
    return listed;
  }

  /**
   * Moves a session and its row {@code days} into the past, and adds {@link #EXTRA_OLD_ROWS} copies
   * of that row (same session, same age), as a busy day long ago would have left them.
   */
  private static void age(Path database, String session, int days) throws SQLException {
    long shift = days * DAY_MS;
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + database)) {
      List<String> columns = new ArrayList<>();
      try (ResultSet rs = db.createStatement().executeQuery("PRAGMA table_info(requests)")) {
        while (rs.next()) {
          String name = rs.getString("name");
          if (!name.equals("seq") && !name.equals("id")) columns.add(name);
        }
      }
      String list = String.join(", ", columns);
      update(db, "UPDATE requests SET ts = ts - ? WHERE session_id = ?", shift, session);
      update(db, "UPDATE sessions SET first_seen = first_seen - ?, last_seen = last_seen - ? WHERE id = ?",
          shift, shift, session);
      update(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)"
          + " INSERT INTO requests (id, " + list + ") SELECT requests.id || '-copy-' || n.i, " + list
          + " FROM requests, n WHERE session_id = ?", EXTRA_OLD_ROWS, session);
    }
    assertEquals(EXTRA_OLD_ROWS + 2, count(database, "SELECT COUNT(*) FROM requests"));
  }

  private static void update(Connection db, String sql, Object... args) throws SQLException {
    try (PreparedStatement statement = db.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) statement.setObject(i + 1, args[i]);
      assertTrue(statement.executeUpdate() > 0, sql);
    }
  }

  private static long count(Path database, String sql) throws SQLException {
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + database);
         ResultSet rs = db.createStatement().executeQuery(sql)) {
      return rs.getLong(1);
    }
  }
}
