package io.kimiproxy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Recorded provider responses under tests-data/fixtures (copied byte for byte from the shared
 * fixtures; provenance in tests-data/fixtures/SOURCES.md).
 */
public final class Fixtures {
  public static final Path ROOT = Path.of("tests-data", "fixtures");

  private Fixtures() {}

  public static byte[] bytes(String relative) {
    try {
      return Files.readAllBytes(ROOT.resolve(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String text(String relative) {
    return new String(bytes(relative), java.nio.charset.StandardCharsets.UTF_8);
  }
}
