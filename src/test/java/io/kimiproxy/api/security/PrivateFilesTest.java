package io.kimiproxy.api.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.testing.Poll;
import io.kimiproxy.testing.Stubs;
import io.kimiproxy.testing.TestProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, item 3: the database, its WAL and the cached answers hold prompts and answers, so the
 * folders the proxy creates are 0700 and its files 0600, even when the JVM's umask would make them
 * readable by all (as the usual 0022 does); files an older version left readable are tightened.
 * (bin/kimi-proxy, its log and the backups are checked in ScriptsIT, under umask 0000.)
 */
class PrivateFilesTest {
  private static final String CACHED = TestProxy.ONE_PROVIDER + """

      [cache]
      enabled = true
      dir = "data/cache"
      """;
  private static final String DETERMINISTIC = "{\"model\":\"test/model\",\"temperature\":0,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";

  @Test
  void should_create_the_data_folder_the_database_its_wal_and_the_cache_files_for_the_owner_only() {
    try (TestProxy proxy = TestProxy.startWithDatabaseAt("data/kimi-proxy.db", CACHED)) {
      proxy.upstream().stubFor(Stubs.chat().willReturn(Stubs.ok()));
      assertEquals(200, proxy.post("/v1/chat/completions", DETERMINISTIC).statusCode());
      Path data = proxy.folder().resolve("data");
      Path cache = data.resolve("cache");
      List<Path> answers = Poll.until(Duration.ofSeconds(10), () -> files(cache), list -> !list.isEmpty(),
          "the answer to be kept in the cache");

      assertEquals("rwx------", mode(data));
      assertEquals("rwx------", mode(cache));
      for (String name : List.of("kimi-proxy.db", "kimi-proxy.db-wal", "kimi-proxy.db-shm")) {
        assertEquals("rw-------", mode(data.resolve(name)), name);
      }
      for (Path answer : answers) assertEquals("rw-------", mode(answer), answer.toString());
    }
  }

  @Test
  void should_tighten_a_database_an_older_version_left_readable() throws IOException {
    Path folder = Files.createTempDirectory("kimi-proxy-test");
    for (String name : List.of("test.db", "test.db-wal")) {
      Files.createFile(folder.resolve(name), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
    }
    try (TestProxy proxy = TestProxy.startIn(folder, TestProxy.ONE_PROVIDER, "", "")) {
      assertEquals("rw-------", mode(proxy.databaseFile()));
      assertEquals("rw-------", mode(folder.resolve("test.db-wal")));
      assertTrue(Files.exists(folder.resolve("test.db-shm")));
      assertEquals("rw-------", mode(folder.resolve("test.db-shm")));
    }
  }

  private static String mode(Path path) {
    try {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> files(Path folder) {
    if (!Files.isDirectory(folder)) return List.of();
    try (Stream<Path> found = Files.walk(folder)) {
      return found.filter(Files::isRegularFile).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
