package io.kimiproxy.features.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kimiproxy.testing.PathologicalTexts;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Another program's log can hold any line: each is read in time linear in its length. */
class ContinueLogLinesScalingTest {
  private static final int LINE = 64 * 1024;

  @Test
  void should_read_long_pathological_lines_in_linear_time() {
    ContinueLogParser parser = new ContinueLogParser();
    String blanks = " ".repeat(LINE);
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      // A count followed by blanks and something else: two blank runs used to share them quadratically.
      assertNull(parser.feed("Prompt Tokens: 12" + blanks + "x"));
      assertNull(parser.feed("[2025-11-21T10:15:02] " + "[info]".repeat(LINE / 6) + "x"));
      assertNull(parser.feed("|10:15:02.3 " + "| ".repeat(LINE / 2)));
      for (Map.Entry<String, String> text : PathologicalTexts.ofSize(LINE).entrySet()) {
        assertNull(parser.feed(text.getValue().replace('\n', ' ')), text.getKey());
      }
    });
    assertNull(parser.feed("Prompt Tokens: 12 " + blanks));
    assertEquals(7, parser.feed("Completion Tokens: 7 ,  ").completionTokens());
  }
}
