package io.kimiproxy.features.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kimiproxy.core.error.ProxyError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClineHistoryParserTest {
  private static final Path SAMPLES = Path.of("tests-data", "importers", "cline");

  @Test
  void should_read_numbers_and_ids_of_every_task_with_a_time() throws Exception {
    ClineHistoryParser.Result result = ClineHistoryParser.parse(Files.readAllBytes(SAMPLES.resolve("taskHistory.json")));

    assertEquals(5, result.tasks().size());
    assertEquals(1, result.skipped(), "the entry without a ts");
    ClineTask first = result.tasks().get(0);
    assertEquals(new ClineTask("1763630405123", 1763630912345L, 48213, 3120, 22011, 181230, 0.4213,
        "anthropic/claude-sonnet-4.5", "openrouter"), first);
    ClineTask older = result.tasks().get(2);
    assertEquals(0, older.cacheWrites(), "missing counts read as 0");
    assertNull(older.modelId(), "older Cline versions record no model");
  }

  @Test
  void should_keep_no_text_of_the_task() throws Exception {
    ClineHistoryParser.Result result = ClineHistoryParser.parse(Files.readAllBytes(SAMPLES.resolve("taskHistory.json")));

    String everything = result.tasks().toString();
    assertFalse(everything.contains("CONFIDENTIAL-TASK-TEXT"), everything);
    assertFalse(everything.contains("sk-proj-"), everything);
  }

  @Test
  void should_keep_the_last_entry_when_an_id_repeats() {
    List<ClineTask> tasks = ClineHistoryParser.parse(bytes(
        "[{\"id\":\"a\",\"ts\":1,\"tokensIn\":5},{\"id\":\"b\",\"ts\":2},{\"id\":\"a\",\"ts\":3,\"tokensIn\":9}]")).tasks();

    assertEquals(2, tasks.size());
    assertEquals(9, tasks.get(1).tokensIn());
    assertEquals("a", tasks.get(1).id());
  }

  @Test
  void should_skip_values_of_unexpected_types_and_entries_that_are_not_objects() {
    ClineHistoryParser.Result result = ClineHistoryParser.parse(bytes(
        "[1, \"x\", {\"id\":\"a\",\"ts\":1,\"tokensIn\":\"many\",\"totalCost\":-3,\"modelId\":{\"n\":1},\"task\":[1,[2]]}]"));

    assertEquals(2, result.skipped());
    assertEquals(new ClineTask("a", 1, 0, 0, 0, 0, 0.0, null, null), result.tasks().get(0));
  }

  @Test
  void should_report_a_truncated_file_with_its_position_and_none_of_its_content() throws Exception {
    byte[] truncated = Files.readAllBytes(SAMPLES.resolve("taskHistory-truncated.json"));

    ProxyError error = assertThrows(ProxyError.class, () -> ClineHistoryParser.parse(truncated));

    assertEquals(422, error.status());
    assertEquals("cline_history_invalid", error.code());
    assertTrue(error.getMessage().contains("truncated") && error.getMessage().contains("line 3, column 13"), error.getMessage());
    assertFalse(error.getMessage().contains("1763"), error.getMessage());
  }

  @Test
  void should_refuse_json_that_is_not_an_array_of_tasks() {
    ProxyError notArray = assertThrows(ProxyError.class, () -> ClineHistoryParser.parse(bytes("{\"id\":\"a\"}")));
    ProxyError garbage = assertThrows(ProxyError.class, () -> ClineHistoryParser.parse(bytes("[{\"id\": secret-word}]")));
    ProxyError trailing = assertThrows(ProxyError.class, () -> ClineHistoryParser.parse(bytes("[] []")));

    assertTrue(notArray.getMessage().contains("not a JSON array"), notArray.getMessage());
    assertTrue(garbage.getMessage().contains("not valid JSON"), garbage.getMessage());
    assertFalse(garbage.getMessage().contains("secret"), garbage.getMessage());
    assertTrue(trailing.getMessage().contains("after its array"), trailing.getMessage());
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
