package io.kimiproxy.features.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LogTailTest {
  private Path folder;
  private Path log;
  private LogTail tail;

  @BeforeEach
  void setUp() throws Exception {
    folder = Files.createTempDirectory("logtail");
    log = folder.resolve("core.log");
    tail = new LogTail(log);
  }

  @AfterEach
  void tearDown() throws Exception {
    tail.close();
  }

  private void append(String text) throws Exception {
    Files.writeString(log, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  @Test
  void should_read_a_file_present_at_start_as_backlog_then_new_lines_as_they_come() throws Exception {
    append("one\ntwo\n");
    LogTail.Read first = tail.poll(1 << 20);
    append("three\n");
    LogTail.Read second = tail.poll(1 << 20);
    LogTail.Read idle = tail.poll(1 << 20);

    assertEquals(List.of("one", "two"), first.lines());
    assertTrue(first.backlog() && first.restarted());
    assertEquals(List.of("three"), second.lines());
    assertFalse(second.backlog() || second.restarted());
    assertEquals(List.of(), idle.lines());
    assertEquals(14, tail.offset());
  }

  @Test
  void should_wait_for_the_end_of_a_line_before_returning_it() throws Exception {
    append("par");
    assertEquals(List.of(), tail.poll(1 << 20).lines());
    append("tial\r\nnext");
    assertEquals(List.of("partial"), tail.poll(1 << 20).lines());
  }

  @Test
  void should_not_date_a_file_that_appears_after_the_first_poll_as_backlog() throws Exception {
    LogTail.Read missing = tail.poll(1 << 20);
    append("fresh\n");
    LogTail.Read created = tail.poll(1 << 20);

    assertEquals(SourceFile.Kind.MISSING, missing.probe().kind());
    assertEquals(List.of("fresh"), created.lines());
    assertFalse(created.backlog());
  }

  @Test
  void should_finish_the_old_file_then_read_the_new_one_after_a_rotation() throws Exception {
    append("a1\n");
    tail.poll(1 << 20);
    append("a2\na3-without-newline");
    Files.move(log, folder.resolve("core.log.1"));
    append("b1\n");

    LogTail.Read old = tail.poll(1 << 20);
    LogTail.Read fresh = tail.poll(1 << 20);

    assertEquals(List.of("a2", "a3-without-newline"), old.lines());
    assertTrue(old.more(), "the new file waits for the next poll");
    assertEquals(List.of("b1"), fresh.lines());
    assertTrue(fresh.restarted());
    assertEquals(1, tail.rotations());
  }

  @Test
  void should_start_over_when_the_file_is_cut_below_the_offset() throws Exception {
    append("a long first line\nand a second one\n");
    tail.poll(1 << 20);
    Files.writeString(log, "short\n", StandardOpenOption.TRUNCATE_EXISTING);

    LogTail.Read read = tail.poll(1 << 20);

    assertEquals(List.of("short"), read.lines());
    assertTrue(read.restarted());
    assertEquals(1, tail.truncations());
  }

  @Test
  void should_read_a_long_backlog_over_several_polls() throws Exception {
    append("x".repeat(10) + "\n" + "y".repeat(10) + "\n");

    LogTail.Read first = tail.poll(15);
    LogTail.Read second = tail.poll(15);

    assertEquals(List.of("x".repeat(10)), first.lines());
    assertTrue(first.more() && first.backlog());
    assertEquals(List.of("y".repeat(10)), second.lines());
    assertFalse(second.more());
    assertTrue(second.backlog(), "still the lines that were there at the first poll");
  }

  @Test
  void should_drop_a_line_too_long_to_be_a_log_line_and_keep_the_next() throws Exception {
    append("z".repeat(LogTail.MAX_LINE + 10) + "\nafter\n");

    assertEquals(List.of("after"), tail.poll(1 << 20).lines());
  }

  @Test
  void should_not_follow_a_symbolic_link() throws Exception {
    Path real = folder.resolve("real.log");
    Files.writeString(real, "secret\n");
    Files.createSymbolicLink(log, real);

    LogTail.Read read = tail.poll(1 << 20);

    assertEquals(SourceFile.Kind.SYMLINK, read.probe().kind());
    assertEquals(List.of(), read.lines());
  }
}
