package io.kimiproxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code [guardrails]} in config.toml: defaults, partial rule tables, strictness. */
class GuardrailsConfigTest {

  private static GuardrailsConfig parse(String toml) {
    return ConfigLoader.parse(toml, Path.of("config.toml"), Map.of()).guardrails();
  }

  private static String error(String toml) {
    return assertThrows(ConfigException.class, () -> parse(toml)).getMessage();
  }

  @Test
  void should_start_enabled_with_the_default_rules_when_the_section_is_absent() {
    GuardrailsConfig g = parse("");
    assertTrue(g.enabled());
    GuardRule files = g.rule(ToolCallType.FILE_WRITE);
    assertEquals(List.of("*.env", "*.key", "*secret*"), files.blockedPatterns());
    assertEquals(10.0, files.maxFileSizeMb());
    assertEquals(GuardRule.Action.LOG, files.action());
    assertEquals(List.of("rm -rf", "mkfs", "dd of=/dev/", "format", "del /S /Q", "curl | sh", "curl | bash", "wget | sh",
        "wget | bash", "iwr | iex", "irm | iex"), g.rule(ToolCallType.TERMINAL_COMMAND).blockedPatterns());
    assertEquals(g.rule(ToolCallType.FILE_WRITE), g.rule(ToolCallType.CODE_GENERATION));
    assertEquals(g.rule(ToolCallType.TERMINAL_COMMAND), g.rule(ToolCallType.TEST_EXECUTION));
    assertEquals(List.of(), g.rule(ToolCallType.OTHER).blockedPatterns());
  }

  @Test
  void should_keep_the_defaults_a_rule_table_leaves_out() {
    GuardrailsConfig g = parse("""
        [guardrails]
        enabled = false

        [guardrails.rules.FILE_WRITE]
        action = "block"
        max_file_size_mb = 2.5

        [guardrails.rules.terminal_command]
        allowed_patterns = ["rm -rf node_modules"]
        requires_confirmation = true
        """);
    assertEquals(false, g.enabled());
    GuardRule files = g.rule(ToolCallType.FILE_WRITE);
    assertEquals(GuardRule.Action.BLOCK, files.action());
    assertEquals(2.5, files.maxFileSizeMb());
    assertEquals(List.of("*.env", "*.key", "*secret*"), files.blockedPatterns());
    GuardRule commands = g.rule(ToolCallType.TERMINAL_COMMAND);
    assertEquals(List.of("rm -rf node_modules"), commands.allowedPatterns());
    assertTrue(commands.requiresConfirmation());
    assertEquals(GuardRule.Action.LOG, commands.action());
  }

  @Test
  void should_refuse_unknown_keys_types_actions_and_bad_patterns() {
    assertEquals("config.toml: guardrails.rules.FILE_WRITE.actoin: unknown key",
        error("[guardrails.rules.FILE_WRITE]\nactoin = \"block\"\n"));
    assertEquals("config.toml: guardrails.rules.SHELL: unknown tool-call type (known: FILE_WRITE, TERMINAL_COMMAND, "
        + "CODE_GENERATION, TEST_EXECUTION, CODE_REVIEW, OTHER)", error("[guardrails.rules.SHELL]\naction = \"block\"\n"));
    assertEquals("config.toml: guardrails.rules.OTHER.action: 'deny' is not log or block",
        error("[guardrails.rules.OTHER]\naction = \"deny\"\n"));
    assertTrue(error("[guardrails.rules.OTHER]\nblocked_patterns = [\"re:([\"]\n")
        .startsWith("config.toml: guardrails.rules.OTHER: blocked_patterns: 're:([' is not a valid regular expression"));
    assertEquals("config.toml: guardrails.rules.FILE_WRITE: max_file_size_mb: 5000.0 is out of range [0, 1024]",
        error("[guardrails.rules.FILE_WRITE]\nmax_file_size_mb = 5000\n"));
    assertEquals("config.toml: guardrails.enable: unknown key", error("[guardrails]\nenable = true\n"));
  }
}
