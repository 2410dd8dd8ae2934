package io.kimiproxy.testing.engines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL as a local process: {@code initdb} into a temporary folder, then
 * {@code postgres} on a random port of 127.0.0.1, trusting local connections of user {@code kp}.
 * PostgreSQL refuses to run as root, so under root both run as the {@code postgres} user of
 * Debian's package (or {@code nobody}). Durability settings are off: the tests restart it with a
 * clean shutdown, never a power cut.
 */
public class LocalPostgres {
  public static final String USER = "kp";
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private Path dir;
  private int port;
  private Process process;

  /** Stops the engine and removes its folder. */
  public void remove() {
    stop();
    LocalProcess.delete(dir);
  }

  /** Starts the engine; the first start creates the cluster, later ones reuse it (a restart). */
  public synchronized void start() {
    if (process != null && process.isAlive()) return;
    if (dir == null) {
      dir = LocalProcess.tempDir("kp-pg");
      port = LocalProcess.freePort();
      owned(dir);
      LocalProcess.run(asEngineUser(bin("initdb"), "-D", data().toString(), "-U", USER, "--auth=trust",
          "-E", "UTF8", "--locale=C", "--no-sync"), log());
    }
    process = LocalProcess.start(asEngineUser(bin("postgres"), "-D", data().toString(), "-p", Integer.toString(port),
        "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=" + dir,
        "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
        "-c", "max_connections=200"), log());
    LocalProcess.awaitReady(process, this::accepting, log());
  }

  /** A fast shutdown: sessions are ended, what was committed is kept. */
  public synchronized void stop() {
    LocalProcess.stop(process, "INT");
    process = null;
  }

  public void restart() {
    stop();
    start();
  }

  /** The URL of the default database. */
  public String url() {
    return url("postgres");
  }

  public String url(String database) {
    return "postgresql://" + USER + "@127.0.0.1:" + port + "/" + database;
  }

  /** A new empty database, for a test that needs one to itself; its URL. */
  public String newDatabase() {
    String name = "t" + DATABASES.incrementAndGet();
    psql("CREATE DATABASE " + name);
    return url(name);
  }

  /** Runs SQL with psql, as the tests' user. */
  public void psql(String sql) {
    LocalProcess.run(List.of(bin("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
        "-p", Integer.toString(port), "-U", USER, "-d", "postgres", "-c", sql), log());
  }

  /** "15.18" and the like: what the docs' versions say the tests ran on. */
  public String version() {
    try {
      return Files.readString(data().resolve("PG_VERSION")).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private boolean accepting() {
    Process check = LocalProcess.start(List.of(bin("pg_isready"), "-q", "-h", "127.0.0.1", "-p", Integer.toString(port)),
        log());
    try {
      return check.waitFor() == 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private Path data() {
    return dir.resolve("data");
  }

  private Path log() {
    return dir.resolve("postgres.log");
  }

  /** Under root, the folder goes to the user the engine runs as. */
  private static void owned(Path folder) {
    if (!LocalProcess.isRoot()) return;
    try {
      Files.setOwner(folder, folder.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(engineUser()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> asEngineUser(String... command) {
    List<String> full = new ArrayList<>();
    if (LocalProcess.isRoot()) {
      String user = engineUser();
      full.addAll(List.of("setpriv", "--reuid=" + user, "--regid=" + user, "--clear-groups", "--"));
    }
    full.addAll(List.of(command));
    return full;
  }

  private static String engineUser() {
    try {
      Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
      return "postgres";
    } catch (UserPrincipalNotFoundException e) {
      return "nobody";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A program of the newest installed PostgreSQL (Debian keeps them off the PATH), or from the PATH. */
  static String bin(String program) {
    String override = System.getenv("KP_PG_BIN");
    if (override != null && !override.isBlank()) return Path.of(override, program).toString();
    Path versions = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(versions)) {
      try (Stream<Path> dirs = Files.list(versions)) {
        Path newest = dirs.filter(d -> Files.isExecutable(d.resolve("bin").resolve(program)))
            .max(Comparator.comparingInt(LocalPostgres::major)).orElse(null);
        if (newest != null) return newest.resolve("bin").resolve(program).toString();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return program;
  }

  private static int major(Path versionDir) {
    try {
      return Integer.parseInt(versionDir.getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
