package io.kimiproxy.features.guardrails;

import io.kimiproxy.config.ToolCallType;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tool calls as Cline, Continue and other agents send them, and the type each gets. */
class ToolClassifierTest {

  private static ToolCallType type(String name, String arguments) {
    return ToolClassifier.classify(name, arguments).type();
  }

  @Test
  void should_tell_cline_file_writes_from_code_generation_by_path_and_first_line() {
    assertEquals(ToolCallType.CODE_GENERATION, type("write_to_file",
        "{\"path\":\"src/server/app.py\",\"content\":\"from flask import Flask\\napp = Flask(__name__)\\n\"}"));
    assertEquals(ToolCallType.CODE_GENERATION, type("write_to_file",
        "{\"path\":\"scripts/deploy\",\"content\":\"#!/usr/bin/env bash\\nset -euo pipefail\\n\"}"));
    assertEquals(ToolCallType.CODE_GENERATION, type("write_to_file", "{\"path\":\"Dockerfile\",\"content\":\"FROM node:20\\n\"}"));
    assertEquals(ToolCallType.FILE_WRITE, type("write_to_file", "{\"path\":\".env\",\"content\":\"OPENAI_API_KEY=sk-x\\n\"}"));
    assertEquals(ToolCallType.FILE_WRITE, type("write_to_file", "{\"path\":\"docs/setup.md\",\"content\":\"# Setup\\n\"}"));
  }

  @Test
  void should_count_cline_edits_as_file_writes_with_their_path_and_size() {
    String diff = "------- SEARCH\\nconst a = 1;\\n=======\\nconst a = 2;\\n+++++++ REPLACE";
    ClassifiedCall call = ToolClassifier.classify("replace_in_file", "{\"path\":\"src/index.ts\",\"diff\":\"" + diff + "\"}");
    assertEquals(ToolCallType.FILE_WRITE, call.type());
    assertEquals(List.of("src/index.ts"), call.paths());
    assertEquals("------- SEARCH\nconst a = 1;\n=======\nconst a = 2;\n+++++++ REPLACE".length(), call.contentBytes());
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(delimiter = '|', value = {
      "execute_command | {\"command\":\"npm run build\",\"requires_approval\":false} | TERMINAL_COMMAND",
      "execute_command | {\"command\":\"cd backend && python -m pytest tests/ -q\",\"requires_approval\":false} | TEST_EXECUTION",
      "execute_command | {\"command\":\"pip install pytest\",\"requires_approval\":true} | TERMINAL_COMMAND",
      "attempt_completion | {\"result\":\"The page is ready.\",\"command\":\"open index.html\"} | TERMINAL_COMMAND",
      "attempt_completion | {\"result\":\"I renamed the function.\"} | OTHER",
      "read_file | {\"path\":\"src/app.py\"} | OTHER",
      "search_files | {\"path\":\"src\",\"regex\":\"TODO\",\"file_pattern\":\"*.ts\"} | OTHER",
      "list_files | {\"path\":\".\",\"recursive\":true} | OTHER",
      "list_code_definition_names | {\"path\":\"src\"} | OTHER",
      "browser_action | {\"action\":\"launch\",\"url\":\"http://localhost:3000\"} | OTHER",
      "ask_followup_question | {\"question\":\"Which database?\",\"options\":[\"sqlite\",\"postgres\"]} | OTHER",
      "plan_mode_respond | {\"response\":\"Here is the plan\"} | OTHER",
      "new_task | {\"context\":\"Continue the refactor\"} | OTHER",
      "access_mcp_resource | {\"server_name\":\"weather\",\"uri\":\"weather://sf/current\"} | OTHER",
  })
  void should_classify_cline_tools(String name, String arguments, ToolCallType expected) {
    assertEquals(expected, type(name, arguments));
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(delimiter = '|', value = {
      "create_new_file | {\"filepath\":\"src/utils/math.ts\",\"contents\":\"export const add = (a: number, b: number) => a + b;\"} | CODE_GENERATION",
      "builtin_create_new_file | {\"filepath\":\"notes/todo.txt\",\"contents\":\"- write tests\"} | FILE_WRITE",
      "edit_existing_file | {\"filepath\":\"src/index.ts\",\"changes\":\"// ... existing code ...\\nexport {};\"} | FILE_WRITE",
      "single_find_and_replace | {\"filepath\":\"app.py\",\"old_string\":\"x = 1\",\"new_string\":\"x = 2\"} | FILE_WRITE",
      "multi_edit | {\"filepath\":\"app.py\",\"edits\":[{\"old_string\":\"a\",\"new_string\":\"b\"}]} | FILE_WRITE",
      "run_terminal_command | {\"command\":\"git status\",\"waitForCompletion\":true} | TERMINAL_COMMAND",
      "builtin_run_terminal_command | {\"command\":\"npx vitest run\"} | TEST_EXECUTION",
      "view_diff | {} | CODE_REVIEW",
      "read_file | {\"filepath\":\"README.md\"} | OTHER",
      "ls | {\"dirPath\":\"src\",\"recursive\":false} | OTHER",
      "grep_search | {\"query\":\"useEffect\"} | OTHER",
      "file_glob_search | {\"pattern\":\"**/*.test.ts\"} | OTHER",
      "view_repo_map | {} | OTHER",
      "view_subdirectory | {\"directory_path\":\"src/components\"} | OTHER",
      "search_web | {\"query\":\"vert.x 5 migration\"} | OTHER",
      "fetch_url_content | {\"url\":\"https://vertx.io\"} | OTHER",
      "read_currently_open_file | {} | OTHER",
  })
  void should_classify_continue_tools(String name, String arguments, ToolCallType expected) {
    assertEquals(expected, type(name, arguments));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "go test ./... | TEST_EXECUTION",
      "mvn -q -B test -Dtest=FooTest | TEST_EXECUTION",
      "./gradlew :app:test --info | TEST_EXECUTION",
      "cargo test --all-features | TEST_EXECUTION",
      "npm test | TEST_EXECUTION",
      "yarn test:unit | TEST_EXECUTION",
      "pnpm run test -- --watch=false | TEST_EXECUTION",
      "poetry run pytest -x | TEST_EXECUTION",
      "bundle exec rspec spec/models | TEST_EXECUTION",
      "dotnet test | TEST_EXECUTION",
      "npx jest src/app.test.ts | TEST_EXECUTION",
      "npm install && npm run build | TERMINAL_COMMAND",
      "go build ./... | TERMINAL_COMMAND",
      "mvn package -DskipTests | TERMINAL_COMMAND",
      "cat tests/test_app.py | TERMINAL_COMMAND",
  })
  void should_call_a_command_that_runs_tests_test_execution(String command, ToolCallType expected) {
    assertEquals(expected, type("execute_command", new io.vertx.core.json.JsonObject().put("command", command).encode()));
  }

  @Test
  void should_read_generic_agent_tools() {
    assertEquals(ToolCallType.TEST_EXECUTION, type("shell", "{\"command\":[\"bash\",\"-lc\",\"cargo test --all\"]}"));
    assertEquals(ToolCallType.TERMINAL_COMMAND, type("Bash", "{\"command\":\"rm -rf build\",\"description\":\"clean\"}"));
    assertEquals(ToolCallType.CODE_GENERATION, type("Write", "{\"file_path\":\"/repo/main.go\",\"content\":\"package main\"}"));
    assertEquals(ToolCallType.FILE_WRITE, type("Edit", "{\"file_path\":\"/repo/go.mod\",\"old_string\":\"1.21\",\"new_string\":\"1.22\"}"));
    assertEquals(ToolCallType.CODE_GENERATION, type("str_replace_editor", "{\"command\":\"create\",\"path\":\"x.go\",\"file_text\":\"package x\"}"));
    assertEquals(ToolCallType.OTHER, type("str_replace_editor", "{\"command\":\"view\",\"path\":\"x.go\"}"));
    assertEquals(ToolCallType.FILE_WRITE, type("str_replace_editor", "{\"command\":\"str_replace\",\"path\":\"x.go\",\"old_str\":\"a\",\"new_str\":\"b\"}"));
    assertEquals(ToolCallType.CODE_GENERATION, type("mcp__filesystem__write_file", "{\"path\":\"lib/a.rb\",\"content\":\"puts 1\"}"));
    assertEquals(ToolCallType.TEST_EXECUTION, type("run_in_terminal", "{\"command\":\"make test\"}"));
    assertEquals(ToolCallType.FILE_WRITE, type("save_document", "{\"path\":\"a.md\",\"content\":\"x\"}"));
    assertEquals(ToolCallType.CODE_REVIEW, type("request_code_review", "{\"base\":\"main\"}"));
    assertEquals(ToolCallType.OTHER, type("get_weather", "{\"location\":\"San Francisco, CA\"}"));
  }

  @Test
  void should_take_every_path_of_a_patch() {
    String patch = "*** Begin Patch\\n*** Update File: src/main.rs\\n@@\\n-a\\n+b\\n*** Add File: .env\\n+X=1\\n*** End Patch";
    ClassifiedCall call = ToolClassifier.classify("apply_patch", "{\"input\":\"" + patch + "\"}");
    assertEquals(ToolCallType.FILE_WRITE, call.type());
    assertEquals(List.of("src/main.rs", ".env"), call.paths());
    ClassifiedCall unified = ToolClassifier.classify("apply_patch",
        "{\"patch\":\"--- a/app/config.py\\n+++ b/app/config.py\\n@@ -1 +1 @@\\n-A=1\\n+A=2\\n\"}");
    assertEquals(List.of("app/config.py"), unified.paths());
  }

  @Test
  void should_judge_an_mcp_call_as_the_tool_it_calls() {
    ClassifiedCall write = ToolClassifier.classify("use_mcp_tool",
        "{\"server_name\":\"filesystem\",\"tool_name\":\"write_file\",\"arguments\":\"{\\\"path\\\":\\\"/srv/app/.env\\\",\\\"content\\\":\\\"A=1\\\"}\"}");
    assertEquals(ToolCallType.FILE_WRITE, write.type());
    assertEquals(List.of("/srv/app/.env"), write.paths());
    ClassifiedCall issue = ToolClassifier.classify("use_mcp_tool",
        "{\"server_name\":\"github\",\"tool_name\":\"create_issue\",\"arguments\":{\"title\":\"Bug\"}}");
    assertEquals(ToolCallType.OTHER, issue.type());
    assertEquals(List.of("use_mcp_tool", "github/create_issue"), issue.names());
  }

  @Test
  void should_read_arguments_cut_short_and_fall_back_to_the_raw_text() {
    ClassifiedCall cut = ToolClassifier.classify("execute_command", "{\"command\":\"rm -rf /tmp/build");
    assertEquals("rm -rf /tmp/build", cut.command());
    ClassifiedCall raw = ToolClassifier.classify("execute_command", "rm -rf /");
    assertEquals(ToolCallType.TERMINAL_COMMAND, raw.type());
    assertEquals("rm", raw.commands().get(0).program());
  }
}
