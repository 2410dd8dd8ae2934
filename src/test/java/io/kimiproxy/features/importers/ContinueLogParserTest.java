package io.kimiproxy.features.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContinueLogParserTest {

  private static List<ContinueEntry> parse(List<String> lines) {
    ContinueLogParser parser = new ContinueLogParser();
    List<ContinueEntry> out = new ArrayList<>();
    for (String line : lines) {
      ContinueEntry e = parser.feed(line);
      if (e != null) out.add(e);
    }
    return out;
  }

  private static long at(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }

  @Test
  void should_read_every_call_of_the_sample_log() throws Exception {
    List<ContinueEntry> entries = parse(Files.readAllLines(Path.of("tests-data", "importers", "continue", "core.log")));

    assertEquals(List.of(
        new ContinueEntry(at("2025-11-21T10:15:09Z"), 1834, 212, 131072),
        new ContinueEntry(null, 2410, 388, 65536),
        new ContinueEntry(null, 512, 24, 8192),
        new ContinueEntry(at("2025-11-21T10:20:33Z"), 100, 0, 32768),
        new ContinueEntry(at("2025-11-21T10:20:36Z"), 50, 7, 32768)), entries);
  }

  @Test
  void should_ignore_counts_inside_message_text() {
    List<ContinueEntry> entries = parse(List.of(
        "            | Prompt Tokens: 99999",
        "            . Completion tokens: 5",
        "Prompt tokens are what the model reads: 12",
        "The log said Prompt tokens: 40"));

    assertEquals(List.of(), entries);
  }

  @Test
  void should_count_a_completion_without_a_prompt_as_zero_prompt_tokens() {
    List<ContinueEntry> entries = parse(List.of("[info] Generated tokens: 17"));

    assertEquals(List.of(new ContinueEntry(null, 0, 17, 0)), entries);
  }

  @Test
  void should_keep_overlapping_calls_apart_by_lane() {
    List<ContinueEntry> entries = parse(List.of(
        " 10:00:00.0 [Chat]",
        "              \"contextLength\": 1000,",
        "|10:00:00.5 [Fim]",
        "|             \"contextLength\": 2000,",
        "            Prompt Tokens: 10",
        "|           Prompt Tokens: 20",
        "|           Generated Tokens: 2",
        "            Generated Tokens: 1"));

    assertEquals(List.of(new ContinueEntry(null, 20, 2, 2000), new ContinueEntry(null, 10, 1, 1000)), entries);
  }

  @Test
  void should_forget_an_open_call_on_reset() {
    ContinueLogParser parser = new ContinueLogParser();
    parser.feed("Prompt tokens: 10");
    parser.reset();

    assertEquals(new ContinueEntry(null, 0, 3, 0), parser.feed("Completion tokens: 3"));
    assertNull(parser.feed("contextLength: 9"));
  }
}
