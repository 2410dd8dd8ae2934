package io.kimiproxy.features.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SourceFileTest {

  @Test
  void should_tell_each_kind_of_path_without_following_links() throws Exception {
    Path folder = Files.createTempDirectory("source");
    Path file = Files.writeString(folder.resolve("f.json"), "[]");
    Path link = Files.createSymbolicLink(folder.resolve("link.json"), file);

    assertEquals(SourceFile.Kind.REGULAR, SourceFile.probe(file, 10).kind());
    assertEquals(SourceFile.Kind.TOO_LARGE, SourceFile.probe(file, 1).kind());
    assertEquals(SourceFile.Kind.SYMLINK, SourceFile.probe(link, 10).kind());
    assertEquals(SourceFile.Kind.NOT_REGULAR, SourceFile.probe(folder, 10).kind());
    assertEquals(SourceFile.Kind.MISSING, SourceFile.probe(folder.resolve("none"), 10).kind());
    assertTrue(SourceFile.probe(link, 10).problem(10).contains("symbolic link"));
  }

  @Test
  void should_give_a_replaced_file_another_identity() throws Exception {
    Path folder = Files.createTempDirectory("source");
    Path file = Files.writeString(folder.resolve("core.log"), "a\n");
    String before = SourceFile.probe(file, 100).identity();
    Files.move(file, folder.resolve("core.log.1"));
    Files.writeString(file, "b\n");

    assertNotEquals(before, SourceFile.probe(file, 100).identity());
  }

  @Test
  void should_refuse_to_read_through_a_link_or_past_the_size_limit() throws Exception {
    Path folder = Files.createTempDirectory("source");
    Path file = Files.writeString(folder.resolve("f.json"), "[1,2,3]");
    Path link = Files.createSymbolicLink(folder.resolve("link.json"), file);

    assertEquals("[1,2,3]", new String(SourceFile.readAll(file, 100)));
    assertThrows(IOException.class, () -> SourceFile.readAll(link, 100));
    assertThrows(IOException.class, () -> SourceFile.readAll(file, 3));
  }
}
