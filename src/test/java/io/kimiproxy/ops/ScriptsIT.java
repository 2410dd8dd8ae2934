package io.kimiproxy.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kimiproxy.config.ConfigLoader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operations surface as a user meets it, run after {@code package}: bin/kimi-proxy and the
 * scripts against the real jar, the jar's own startup failure, and the shipped config.toml served
 * with no provider key set. Every process runs on a free loopback port with its files in a
 * temporary folder; no provider is ever called.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ScriptsIT {
  private static final Path ROOT = Path.of(System.getProperty("kimiproxy.root", ".")).toAbsolutePath().normalize();
  private static final Path JAR = Path.of(System.getProperty("kimiproxy.jar", "target/kimi-proxy.jar")).toAbsolutePath();
  /** Generous: the machine running the suite may be shared and slow to start a JVM. */
  private static final Duration COMMAND_LIMIT = Duration.ofSeconds(120);
  private static final long START_LIMIT_S = 90;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<Process> spawned = new ArrayList<>();
  @TempDir Path dir;
  private Path config;
  private int port;

  /** A config of our own: a free port, storage in the temporary folder, one provider never called. */
  @BeforeEach
  void writeConfig() throws IOException {
    port = freePort();
    config = dir.resolve("config.toml");
    Files.writeString(config, """
        [server]
        host = "127.0.0.1"
        port = %d

        [storage]
        path = "store/kimi-proxy.db"

        [providers.local]
        base_url = "http://127.0.0.1:9/v1"
        api_key = "${LOCAL_TEST_API_KEY}"

        [models."local/model"]
        provider = "local"
        model = "some-model"
        max_context = 8192
        """.formatted(port));
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (Process p : spawned) {
      p.destroyForcibly();
    }
    // A proxy the scripts started and a failed test left behind: stop exactly that pid.
    Path pidFile = dir.resolve("data/kimi-proxy.pid");
    if (Files.exists(pidFile)) {
      String text = Files.readString(pidFile).trim();
      if (text.matches("\\d+")) ProcessHandle.of(Long.parseLong(text)).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void should_start_back_up_and_stop_the_proxy_through_the_scripts() throws Exception {
    Run started = run("bin/kimi-proxy", "start", "--config", config.toString());
    assertEquals(0, started.exit(), started.toString());
    String url = "http://127.0.0.1:" + port;
    assertTrue(started.out().contains(url + "/v1"), started.toString());

    Path pidFile = dir.resolve("data/kimi-proxy.pid");
    long pid = Long.parseLong(Files.readString(pidFile).trim());
    assertTrue(alive(pid), "pid " + pid + " from the pid file is not running");
    assertTrue(Files.exists(dir.resolve("data/kimi-proxy.log")));

    Run status = run("bin/kimi-proxy", "status", "--config", config.toString());
    assertEquals(0, status.exit(), status.toString());
    assertTrue(status.out().contains("running") && status.out().contains(String.valueOf(pid)) && status.out().contains(url),
        status.toString());
    HttpResponse<String> health = get(url + "/health");
    assertEquals(200, health.statusCode());
    assertEquals("ok", new JsonObject(health.body()).getString("status"));

    Run again = run("bin/kimi-proxy-start", "--config", config.toString());
    assertNotEquals(0, again.exit(), "a second start must refuse: " + again);
    assertTrue(again.err().contains("already running"), again.toString());

    // One ledger row (an unknown model is answered 404 and still recorded), then read back so it is written.
    HttpResponse<String> unknown = post(url + "/v1/chat/completions",
        "{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertEquals(404, unknown.statusCode());
    assertEquals(200, get(url + "/api/sessions").statusCode());

    // Eleven older backups are there already: after one more, the newest ten remain.
    Path backups = dir.resolve("store/backups");
    Files.createDirectories(backups);
    for (int i = 0; i < 11; i++) {
      Files.writeString(backups.resolve("kimi-proxy-20200101-0000%02d.db".formatted(i)), "old");
    }
    Run backup = run("scripts/backup.sh", "--config", config.toString());
    assertEquals(0, backup.exit(), backup.toString());
    Path copy = Path.of(backup.out().trim());
    assertEquals(backups, copy.getParent());
    assertTrue(copy.getFileName().toString().matches("kimi-proxy-\\d{8}-\\d{6}-\\d{3}\\.db"), copy.toString());
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + copy);
         Statement sql = db.createStatement()) {
      try (ResultSet rows = sql.executeQuery("SELECT MAX(version) FROM schema_version")) {
        assertTrue(rows.next() && rows.getInt(1) >= 1, "no schema version in the backup");
      }
      try (ResultSet rows = sql.executeQuery("SELECT model_alias, status FROM requests")) {
        assertTrue(rows.next(), "the backup lacks the request made while the proxy ran");
        assertEquals("nope", rows.getString(1));
        assertEquals(404, rows.getInt(2));
      }
    }
    List<String> kept = names(backups);
    assertEquals(10, kept.size(), kept.toString());
    assertTrue(kept.contains(copy.getFileName().toString()), kept.toString());
    assertFalse(kept.contains("kimi-proxy-20200101-000000.db") || kept.contains("kimi-proxy-20200101-000001.db"), kept.toString());

    Run stopped = run("bin/kimi-proxy-stop", "--config", config.toString());
    assertEquals(0, stopped.exit(), stopped.toString());
    assertFalse(alive(pid), "pid " + pid + " still runs after stop");
    assertFalse(Files.exists(pidFile), "the pid file outlived the proxy");
    Run after = run("bin/kimi-proxy", "status", "--config", config.toString());
    assertEquals(3, after.exit(), after.toString());
    assertTrue(after.out().contains("stopped"), after.toString());
    try {
      get(url + "/health");
      fail("the proxy still answers after stop");
    } catch (ConnectException expected) {
      // nothing listens any more
    }
  }

  /** What `make run` does: the proxy in the foreground, and another terminal asking for its status and log. */
  @Test
  void should_show_the_address_and_the_log_of_a_proxy_in_the_foreground() throws Exception {
    Process proxy = spawn(child("bin/kimi-proxy", "start", "--foreground", "--config", config.toString()));
    String url = "http://127.0.0.1:" + port;
    awaitHealth(proxy, url);

    Run status = run("bin/kimi-proxy", "status", "--config", config.toString());
    assertEquals(0, status.exit(), status.toString());
    assertTrue(status.out().contains(url + "/v1") && status.out().contains(String.valueOf(proxy.pid())), status.toString());

    HttpResponse<String> unknown = post(url + "/v1/chat/completions",
        "{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"PROMPT-TEXT-NOT-LOGGED\"}]}");
    assertEquals(404, unknown.statusCode());
    String id = unknown.headers().firstValue("X-Request-Id").orElseThrow();
    Path log = dir.resolve("data/kimi-proxy.log");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.readString(log).contains("request id=" + id) && System.nanoTime() < deadline) Thread.sleep(100);
    Run logs = run("bin/kimi-proxy", "logs", "--config", config.toString(), "-n", "200");
    assertEquals(0, logs.exit(), logs.toString());
    assertTrue(logs.out().contains("Kimi Proxy listening on " + url), logs.toString());
    String line = logs.out().lines().filter(l -> l.contains("request id=" + id)).findFirst().orElse("");
    assertTrue(line.contains("status=404") && line.contains("code=model_not_found") && line.contains("model=unresolved"),
        logs.toString());
    assertFalse(logs.out().contains("PROMPT-TEXT-NOT-LOGGED"), "prompt text in the log");

    proxy.destroy();
    assertTrue(proxy.waitFor(30, TimeUnit.SECONDS), "the proxy did not stop on SIGTERM");
    assertFalse(Files.exists(dir.resolve("data/kimi-proxy.url")), "the address outlived the proxy");
  }

  @Test
  void should_refuse_to_signal_a_pid_that_is_not_its_proxy() throws Exception {
    Process sleeper = spawn(new ProcessBuilder("sleep", "60"));
    Path pidFile = dir.resolve("data/kimi-proxy.pid");
    Files.createDirectories(pidFile.getParent());
    Files.writeString(pidFile, sleeper.pid() + "\n");

    Run status = run("bin/kimi-proxy", "status", "--config", config.toString());
    assertEquals(3, status.exit(), status.toString());
    Run stop = run("scripts/stop.sh", "--config", config.toString());
    assertNotEquals(0, stop.exit(), stop.toString());
    assertTrue(stop.err().contains("not signalling"), stop.toString());
    assertTrue(sleeper.isAlive(), "stop signalled a process that is not Kimi Proxy");
  }

  @Test
  void should_fail_on_a_bad_config_with_one_line_on_stderr() throws Exception {
    Path bad = dir.resolve("bad.toml");
    Files.writeString(bad, "[server]\nprot = 8000\n");
    Run run = run("java", "-jar", JAR.toString(), "--config", bad.toString());
    assertNotEquals(0, run.exit(), run.toString());
    List<String> lines = run.err().lines().toList();
    assertEquals(1, lines.size(), run.toString());
    assertTrue(lines.get(0).contains("bad.toml") && lines.get(0).contains("server.prot") && lines.get(0).contains("unknown key"),
        lines.get(0));
    assertEquals("", run.out());
  }

  /** What `make run` does on a fresh machine: the shipped config.toml, no provider key anywhere. */
  @Test
  void should_serve_the_shipped_models_with_no_api_key_set() throws Exception {
    Path shipped = ROOT.resolve("config.toml");
    Path copy = dir.resolve("config.toml");
    Files.copy(shipped, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING); // its data/ lands in dir
    Process proxy = spawn(child("java", "-jar", JAR.toString(), "--config", copy.toString(), "--port", String.valueOf(port)));
    String url = "http://127.0.0.1:" + port;
    awaitHealth(proxy, url);

    List<String> expected = List.copyOf(ConfigLoader.load(shipped, Map.of()).models().keySet());
    JsonObject models = new JsonObject(get(url + "/v1/models").body());
    JsonArray data = models.getJsonArray("data");
    List<String> ids = data.stream().map(m -> ((JsonObject) m).getString("id")).toList();
    assertEquals(expected, ids);
    assertFalse(expected.isEmpty());
    data.forEach(m -> assertFalse(((JsonObject) m).getBoolean("configured"), m.toString()));

    HttpResponse<String> chat = post(url + "/v1/chat/completions",
        "{\"model\":\"kimi/k2\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertEquals(401, chat.statusCode(), chat.body());
    assertTrue(chat.body().contains("MOONSHOT_API_KEY"), chat.body());
    assertTrue(Files.exists(dir.resolve("data/kimi-proxy.db")), "the database belongs beside the config");

    proxy.destroy();
    assertTrue(proxy.waitFor(20, TimeUnit.SECONDS), "the proxy did not stop on SIGTERM");
  }

  /** Issue 11, item 3: whatever umask the user starts it with, what the proxy writes is theirs alone. */
  @Test
  void should_keep_every_file_it_writes_private_under_any_umask() throws Exception {
    Run started = run(withUmask000("bin/kimi-proxy", "start", "--config", config.toString()));
    assertEquals(0, started.exit(), started.toString());
    String url = "http://127.0.0.1:" + port;
    assertEquals(404, post(url + "/v1/chat/completions", "{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
        .statusCode());
    assertEquals(200, get(url + "/api/sessions").statusCode()); // the row is written
    Run backup = run(withUmask000("scripts/backup.sh", "--config", config.toString()));
    assertEquals(0, backup.exit(), backup.toString());
    Path copy = Path.of(backup.out().trim());

    for (Path folder : List.of(dir.resolve("data"), dir.resolve("store"), copy.getParent())) {
      assertEquals("rwx------", mode(folder), folder.toString());
    }
    for (String file : List.of("data/kimi-proxy.pid", "data/kimi-proxy.url", "data/kimi-proxy.log", "store/kimi-proxy.db",
        "store/kimi-proxy.db-wal", "store/kimi-proxy.db-shm")) {
      assertEquals("rw-------", mode(dir.resolve(file)), file);
    }
    assertEquals("rw-------", mode(copy), copy.toString());
    assertEquals(0, run("bin/kimi-proxy", "stop", "--config", config.toString()).exit());
  }

  /** Issue 11, item 7: a static/ folder where the proxy happens to start is not its dashboard. */
  @Test
  void should_serve_the_dashboard_from_the_jar_whatever_folder_it_starts_in() throws Exception {
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere/static"));
    Files.writeString(elsewhere.resolve("index.html"), "<script>planted()</script>");
    Files.writeString(elsewhere.resolve("planted.js"), "planted()");
    Process proxy = spawn(child("java", "-jar", JAR.toString(), "--config", config.toString())
        .directory(elsewhere.getParent().toFile()));
    String url = "http://127.0.0.1:" + port;
    awaitHealth(proxy, url);
    HttpResponse<String> page = get(url + "/");
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("<title>Kimi Proxy</title>") && !page.body().contains("planted"), page.body());
    assertEquals(404, get(url + "/planted.js").statusCode());
  }

  // ----------------------------------------------------------------------------------- helpers

  /** A command of the repository run under umask 0000, where every file would be created world-writable. */
  private static String[] withUmask000(String script, String... args) {
    List<String> command = new ArrayList<>(List.of("sh", "-c", "umask 000 && exec \"$0\" \"$@\"", ROOT.resolve(script).toString()));
    command.addAll(List.of(args));
    return command.toArray(String[]::new);
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }


  record Run(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /** Runs a command from the repository root to its end; its output goes through files, never pipes. */
  private Run run(String... command) throws Exception {
    ProcessBuilder builder = child(command);
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(COMMAND_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail(String.join(" ", command) + " did not finish within " + COMMAND_LIMIT + ":\n" + Files.readString(err));
    }
    return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  /**
   * A process in the repository root whose environment holds no provider key and no setting of the
   * scripts but the jar to use (so no script builds while the test suite runs).
   */
  private ProcessBuilder child(String... command) {
    List<String> resolved = new ArrayList<>(List.of(command));
    if (resolved.get(0).contains("/")) resolved.set(0, ROOT.resolve(resolved.get(0)).toString());
    ProcessBuilder builder = new ProcessBuilder(resolved).directory(ROOT.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.endsWith("_API_KEY") || k.startsWith("KIMI_PROXY_"));
    env.put("KIMI_PROXY_JAR", JAR.toString());
    env.put("KIMI_PROXY_START_TIMEOUT", String.valueOf(START_LIMIT_S));
    return builder;
  }

  private Process spawn(ProcessBuilder builder) throws IOException {
    Path log = Files.createTempFile(dir, "spawned", ".log");
    Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    spawned.add(process);
    return process;
  }

  private void awaitHealth(Process process, String url) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_LIMIT_S);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) fail("the proxy exited with " + process.exitValue());
      try {
        if (get(url + "/health").statusCode() == 200) return;
      } catch (ConnectException notYet) {
        // still starting
      }
      Thread.sleep(200);
    }
    fail("no answer on " + url + "/health within " + START_LIMIT_S + " s");
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String url, String json) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Running and not a zombie (a stopped proxy's parent may be slow to reap it). */
  private static boolean alive(long pid) throws IOException {
    Path stat = Path.of("/proc/" + pid + "/stat");
    if (!Files.exists(stat)) return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    String text;
    try {
      text = Files.readString(stat);
    } catch (IOException gone) {
      return false;
    }
    char state = text.charAt(text.lastIndexOf(')') + 2);
    return state != 'Z' && state != 'X';
  }

  private static List<String> names(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
