package io.kimiproxy.features.guardrails;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kimiproxy.config.GuardRule;
import io.kimiproxy.config.GuardrailsConfig;
import io.kimiproxy.config.ToolCallType;
import io.kimiproxy.core.util.SecretScrubber;
import io.kimiproxy.testing.PathologicalTexts;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Judging a tool call is linear in its arguments, whatever they hold and whatever the rules say. */
class GuardrailsScalingTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  /** The expression the patch reader replaced, kept as the reference on small patches. */
  private static final Pattern PATCH_PATH = Pattern.compile(
      "^(?:\\*\\*\\* (?:Add|Update|Delete) File: |\\*\\*\\* Move to: |\\+\\+\\+ (?:b/)?|--- (?:a/)?)(\\S.*?)\\s*$", Pattern.MULTILINE);

  private static GuardRule blocking(String... patterns) {
    return new GuardRule(true, false, 0, List.of(), List.of(patterns), GuardRule.Action.BLOCK);
  }

  @Test
  void should_judge_pathological_arguments_in_linear_time() {
    CompiledRules rules = new CompiledRules(new GuardrailsConfig(true, Map.of(
        ToolCallType.TERMINAL_COMMAND, blocking("rm -rf", "*a*a*a*a*b", "re:(a|a-)*x", "curl | sh"),
        ToolCallType.FILE_WRITE, blocking("*a*a*a*a*b", "**/a*a*a*a*b/**", "re:(a-)*x"),
        ToolCallType.OTHER, blocking("*a*a*a*a*b", "re:(a|-)*x"))));
    // (a|a-)*x and *a*a*a*a*b take exponential or polynomial time with a backtracking matcher.
    Previews previews = new Previews(new SecretScrubber(List.of()));
    for (int size : new int[] {50_000, 1_000_000}) {
      for (Map.Entry<String, String> text : PathologicalTexts.ofSize(size).entrySet()) {
        String t = text.getValue();
        List<ClassifiedCall> calls = new ArrayList<>();
        assertTimeoutPreemptively(BOUND, () -> {
          calls.add(ToolClassifier.classify("execute_command", new JsonObject().put("command", t).encode()));
          calls.add(ToolClassifier.classify("execute_command", new JsonObject().put("command", "bash -" + t).encode()));
          calls.add(ToolClassifier.classify("write_to_file", new JsonObject().put("path", t).put("content", t).encode()));
          calls.add(ToolClassifier.classify("apply_patch", new JsonObject().put("path", "a").put("patch", "+++ b/" + t).encode()));
          calls.add(ToolClassifier.classify("some_mcp_tool", new JsonObject().put("query", t).encode()));
          for (ClassifiedCall call : calls) {
            rules.judge(call);
            previews.preview(call);
          }
        }, text.getKey() + " of " + size);
      }
    }
  }

  @Test
  void should_read_patch_paths_exactly_like_the_expression_it_replaced() {
    List<String> lines = List.of("*** Add File: ", "*** Update File: ", "*** Delete File: ", "*** Move to: ", "+++ ",
        "--- ", "+++ b/", "--- a/", "b/", "src/a.py", "/dev/null", " ", "\t", "\n", "\r\n", "\r", "\u2028", "x y", "@@ -1 +1 @@");
    java.util.Random random = new java.util.Random(5);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder patch = new StringBuilder();
      for (int k = random.nextInt(12); k > 0; k--) patch.append(lines.get(random.nextInt(lines.size())));
      String text = patch.toString();
      List<String> expected = new ArrayList<>();
      Matcher m = PATCH_PATH.matcher(text);
      while (m.find()) expected.add(m.group(1));
      List<String> actual = new ArrayList<>();
      PatchPaths.forEach(text, actual::add);
      assertEquals(expected, actual, text);
    }
  }
}
