package io.kimiproxy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad configuration stops the real process with one readable line, never a stack trace. */
class MainProcessTest {
  @TempDir
  Path folder;

  @Test
  void should_exit_with_one_line_naming_file_and_key_for_an_unknown_key() throws Exception {
    Path config = write("bad.toml", "[server]\nhost = \"127.0.0.1\"\nprot = 8000\n");
    String stderr = runFailing("--config", config.toString());
    assertTrue(stderr.contains("bad.toml") && stderr.contains("server.prot") && stderr.contains("unknown key"), stderr);
  }

  @Test
  void should_exit_with_one_line_for_a_model_naming_a_missing_provider() throws Exception {
    Path config = write("bad.toml", "[models.\"x/y\"]\nprovider = \"ghost\"\nmodel = \"y\"\n");
    String stderr = runFailing("--config", config.toString());
    assertTrue(stderr.contains("bad.toml") && stderr.contains("models.\"x/y\".provider"), stderr);
  }

  @Test
  void should_exit_with_one_line_when_a_non_loopback_host_has_no_client_keys() throws Exception {
    Path config = write("good.toml", "[storage]\npath = \"data/test.db\"\n");
    String stderr = runFailing("--config", config.toString(), "--host", "0.0.0.0");
    assertTrue(stderr.contains("server.host") && stderr.contains("api_keys"), stderr);
    assertFalse(Files.exists(folder.resolve("data")), "it stopped before opening the database");
  }

  @Test
  void should_exit_with_one_line_for_a_missing_file_or_a_bad_option() throws Exception {
    assertTrue(runFailing("--config", folder.resolve("absent.toml").toString()).endsWith("absent.toml: no such file"));
    assertTrue(runFailing("--port", "eighty").contains("--port"));
  }

  /** Runs Main in a fresh JVM on the test class path; asserts it failed and returns its one stderr line. */
  private String runFailing(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(folder.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("Main did not exit; stderr: " + stderr);
    }
    assertNotEquals(0, process.exitValue(), stderr);
    List<String> lines = stderr.lines().toList();
    assertEquals(1, lines.size(), "one line on stderr:\n" + stderr);
    assertFalse(stderr.contains("Exception") || stderr.contains("\tat ") || stderr.contains("at io."), stderr);
    assertTrue(lines.get(0).startsWith("kimi-proxy: "), stderr);
    return lines.get(0);
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(folder.resolve(name), text);
  }
}
