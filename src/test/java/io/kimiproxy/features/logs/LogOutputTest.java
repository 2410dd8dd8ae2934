package io.kimiproxy.features.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.config.LogConfig;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log file as the process writes it: its two formats, its level, and its rotation by size. */
class LogOutputTest {
  @TempDir
  Path folder;

  private List<String> lines(Path file) throws Exception {
    return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
  }

  @Test
  void should_write_structured_lines_as_json_objects_at_the_configured_level() throws Exception {
    Path file = folder.resolve("logs/proxy.log");
    Logger logger = Logger.getLogger("io.kimiproxy.test.json");
    try (LogOutput ignored = LogOutput.install(new LogConfig(LogConfig.Level.INFO, true, file, 1 << 20, 2), null)) {
      logger.log(LogLine.of("request").with("id", "r-1").with("status", 200).with("provider", null)
          .record(Level.INFO, logger.getName()));
      logger.info("plain line with \"quotes\"");
      logger.fine("a debug line under the info level");
    }
    List<String> lines = lines(file);
    assertEquals(2, lines.size(), lines.toString());
    JsonObject request = new JsonObject(lines.get(0));
    assertEquals("request", request.getString("event"));
    assertEquals("r-1", request.getString("id"));
    assertEquals(200, request.getInteger("status"));
    assertTrue(request.containsKey("provider") && request.getValue("provider") == null, lines.get(0));
    assertEquals("INFO", request.getString("level"));
    assertEquals("io.kimiproxy.test.json", request.getString("logger"));
    assertTrue(request.getString("ts").endsWith("Z"), lines.get(0));
    assertEquals("plain line with \"quotes\"", new JsonObject(lines.get(1)).getString("message"));
  }

  @Test
  void should_write_readable_text_with_quoted_values_by_default() throws Exception {
    Path file = folder.resolve("proxy.log");
    Logger logger = Logger.getLogger("io.kimiproxy.test.text");
    try (LogOutput ignored = LogOutput.install(new LogConfig(LogConfig.Level.DEBUG, false, file, 1 << 20, 2), null)) {
      logger.log(LogLine.of("alert").with("kind", "quota").with("message", "a \"spent\" budget").with("ttfb_ms", null)
          .record(Level.WARNING, logger.getName()));
      logger.fine("debug shows at level debug");
    }
    List<String> lines = lines(file);
    assertEquals(2, lines.size(), lines.toString());
    assertTrue(lines.get(0).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN    io\\.kimiproxy\\.test\\.text - "
        + "alert kind=quota message=\"a \\\\\"spent\\\\\" budget\" ttfb_ms=-"), lines.get(0));
    assertTrue(lines.get(1).contains("DEBUG") && lines.get(1).endsWith("debug shows at level debug"), lines.get(1));
  }

  @Test
  void should_rotate_the_file_by_size_and_keep_only_the_newest_rotations() throws Exception {
    Path file = folder.resolve("proxy.log");
    Logger logger = Logger.getLogger("io.kimiproxy.test.rotation");
    String filler = "x".repeat(200);
    try (LogOutput ignored = LogOutput.install(new LogConfig(LogConfig.Level.INFO, false, file, 1024, 2), null)) {
      for (int i = 0; i < 40; i++) logger.info("line " + i + " " + filler);
    }
    assertTrue(Files.exists(file.resolveSibling("proxy.log.1")));
    assertTrue(Files.exists(file.resolveSibling("proxy.log.2")));
    assertFalse(Files.exists(file.resolveSibling("proxy.log.3")), "only two rotations are kept");
    for (String name : List.of("proxy.log", "proxy.log.1", "proxy.log.2")) {
      assertTrue(Files.size(folder.resolve(name)) <= 1024, name + " is over the size limit");
    }
    List<String> newest = lines(file);
    assertTrue(newest.get(newest.size() - 1).contains("line 39 "), newest.toString());
    List<String> older = lines(file.resolveSibling("proxy.log.1"));
    int lastOlder = Integer.parseInt(older.get(older.size() - 1).replaceAll(".* - line (\\d+) .*", "$1"));
    int firstNewest = Integer.parseInt(newest.get(0).replaceAll(".* - line (\\d+) .*", "$1"));
    assertEquals(lastOlder + 1, firstNewest, "no line lost between the rotated file and the current one");
  }
}
