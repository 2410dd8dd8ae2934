package io.kimiproxy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.Poll;
import io.kimiproxy.testing.TestProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The Cline importer through the real proxy, on the sample histories in tests-data/importers/cline/. */
class ClineImportApiTest {
  private static final Path SAMPLES = Path.of("tests-data", "importers", "cline");

  private static TestProxy start(Path history, String extra) {
    return TestProxy.start("[importers.cline]\npath = \"" + history + "\"\npoll_s = 0.05\nmax_poll_s = 0.2\n" + extra
        + "\n[importers.continue]\nenabled = false\n");
  }

  private static void install(String sample, Path target) throws Exception {
    Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
    Files.copy(SAMPLES.resolve(sample), temporary, StandardCopyOption.REPLACE_EXISTING);
    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static JsonObject json(TestProxy proxy, String path) {
    return new JsonObject(proxy.get(path).body());
  }

  @Test
  void should_import_the_history_by_itself_then_update_only_what_changed() throws Exception {
    Path history = Files.createTempDirectory("cline").resolve("taskHistory.json");
    install("taskHistory.json", history);
    try (TestProxy proxy = start(history, "")) {
      JsonObject status = Poll.until(Duration.ofSeconds(10), () -> json(proxy, "/api/cline/status"),
          s -> s.getLong("tasks") == 5 && s.getValue("last_import") != null, "the first import by the poll");
      assertTrue(status.getBoolean("exists"));
      assertEquals(history.toString(), status.getString("path"));
      assertEquals(1, status.getJsonObject("last_import").getLong("skipped"));
      assertNull(status.getValue("last_error"));

      var again = proxy.post("/api/cline/import", "");
      assertEquals(200, again.statusCode(), again.body());
      JsonObject same = new JsonObject(again.body());
      assertEquals(0, same.getLong("inserted"));
      assertEquals(0, same.getLong("updated"));
      assertEquals(5, same.getLong("unchanged"));

      install("taskHistory-updated.json", history);
      JsonObject changed = Poll.until(Duration.ofSeconds(10), () -> json(proxy, "/api/cline/status"),
          s -> s.getJsonObject("last_import").getLong("tasks_in_file") == 6, "the poll to import the changed file")
          .getJsonObject("last_import");
      assertEquals(1, changed.getLong("inserted"));
      assertEquals(1, changed.getLong("updated"));
      assertEquals(4, changed.getLong("unchanged"));
      assertEquals(6, changed.getLong("tasks_in_file"));

      JsonObject usage = json(proxy, "/api/cline/usage");
      JsonObject total = usage.getJsonObject("total");
      assertEquals(6, total.getLong("tasks"));
      assertEquals(104353, total.getLong("tokens_in"));
      assertEquals(13529, total.getLong("tokens_out"));
      assertEquals(0.832, total.getDouble("cost_usd"), 1e-9);
      JsonArray days = usage.getJsonArray("by_day");
      assertEquals("2025-11-20", days.getJsonObject(0).getString("day"));
      assertEquals(2, days.getJsonObject(0).getLong("tasks"));
      assertEquals(48213 + 20115, days.getJsonObject(0).getLong("tokens_in"));
      assertEquals(3, days.size());
      JsonObject kimi = usage.getJsonArray("by_model").stream().map(JsonObject.class::cast)
          .filter(m -> "kimi-k2-0905-preview".equals(m.getString("model"))).findFirst().orElseThrow();
      assertEquals("moonshot", kimi.getString("provider"));
      assertEquals(3, kimi.getLong("tasks"));
      assertEquals(0.1402 + 0.0048 + 0.0455, kimi.getDouble("cost_usd"), 1e-9);

      JsonObject lastDay = json(proxy, "/api/cline/usage?from=2025-11-22").getJsonObject("total");
      assertEquals(2, lastDay.getLong("tasks"));

      for (String suffix : new String[] {"", "-wal"}) {
        Path file = Path.of(proxy.databaseFile() + suffix);
        if (Files.exists(file)) {
          assertFalse(Files.readString(file, StandardCharsets.ISO_8859_1).contains("CONFIDENTIAL-TASK-TEXT"),
              "the task's text is never stored (" + file + ")");
        }
      }
    }
  }

  @Test
  void should_report_a_corrupt_file_and_keep_what_was_imported_before() throws Exception {
    Path history = Files.createTempDirectory("cline").resolve("taskHistory.json");
    install("taskHistory.json", history);
    try (TestProxy proxy = start(history, "")) {
      assertEquals(200, proxy.post("/api/cline/import", "").statusCode());
      JsonObject before = json(proxy, "/api/cline/usage").getJsonObject("total");

      install("taskHistory-truncated.json", history);
      var refused = proxy.post("/api/cline/import", "");

      assertEquals(422, refused.statusCode());
      JsonObject error = new JsonObject(refused.body()).getJsonObject("error");
      assertEquals("cline_history_invalid", error.getString("code"));
      assertFalse(refused.body().contains("CONFIDENTIAL"), refused.body());
      JsonObject status = json(proxy, "/api/cline/status");
      assertTrue(status.getString("last_error").contains("truncated"), status.encode());
      assertEquals(5, status.getLong("tasks"));
      assertEquals(before, json(proxy, "/api/cline/usage").getJsonObject("total"));
    }
  }

  @Test
  void should_refuse_a_link_or_a_folder_and_wait_for_a_missing_file() throws Exception {
    Path folder = Files.createTempDirectory("cline");
    Path history = folder.resolve("taskHistory.json");
    Path real = folder.resolve("elsewhere.json");
    Files.copy(SAMPLES.resolve("taskHistory.json"), real);
    try (TestProxy proxy = start(history, "")) {
      var missing = proxy.post("/api/cline/import", "");
      assertEquals(404, missing.statusCode());
      assertEquals("cline_history_missing", new JsonObject(missing.body()).getJsonObject("error").getString("code"));
      assertFalse(json(proxy, "/api/cline/status").getBoolean("exists"));

      Files.createSymbolicLink(history, real);
      var link = proxy.post("/api/cline/import", "");
      assertEquals(422, link.statusCode());
      assertEquals("cline_history_refused", new JsonObject(link.body()).getJsonObject("error").getString("code"));
      JsonObject linked = json(proxy, "/api/cline/status");
      assertEquals("symlink", linked.getString("file"));
      assertTrue(linked.getString("last_error").contains("symbolic link"), linked.encode());

      Files.delete(history);
      Files.createDirectory(history);
      var directory = proxy.post("/api/cline/import", "");
      assertEquals(422, directory.statusCode());
      assertTrue(new JsonObject(directory.body()).getJsonObject("error").getString("message").contains("not a regular file"));
      assertEquals(0, json(proxy, "/api/cline/status").getLong("tasks"));

      Files.delete(history);
      Files.copy(real, history);
      JsonObject imported = Poll.until(Duration.ofSeconds(10), () -> json(proxy, "/api/cline/status"),
          s -> s.getLong("tasks") == 5, "the poll to import the file once it is a regular file");
      assertNull(imported.getValue("last_error"));
    }
  }

  @Test
  void should_answer_409_when_the_importer_is_disabled() throws Exception {
    Path history = Files.createTempDirectory("cline").resolve("taskHistory.json");
    install("taskHistory.json", history);
    try (TestProxy proxy = start(history, "enabled = false\n")) {
      var refused = proxy.post("/api/cline/import", "");

      assertEquals(409, refused.statusCode());
      assertEquals("importer_disabled", new JsonObject(refused.body()).getJsonObject("error").getString("code"));
      JsonObject status = json(proxy, "/api/cline/status");
      assertFalse(status.getBoolean("enabled"));
      assertEquals(0, status.getLong("tasks"));
    }
  }
}
