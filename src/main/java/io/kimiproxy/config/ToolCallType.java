package io.kimiproxy.config;

import java.util.Locale;

/**
 * What a tool call the model returned would do on the user's machine, as the guardrails judge it.
 * The names are the ones users write in config.toml ({@code [guardrails.rules.FILE_WRITE]}) and
 * see in the API.
 */
public enum ToolCallType {
  FILE_WRITE, TERMINAL_COMMAND, CODE_GENERATION, TEST_EXECUTION, CODE_REVIEW, OTHER;

  /** The type named (case-insensitively), or null. */
  public static ToolCallType parse(String name) {
    for (ToolCallType t : values()) {
      if (t.name().equalsIgnoreCase(name)) return t;
    }
    return null;
  }

  /** File types judge paths and content size; command types judge command lines. */
  public boolean writesFiles() {
    return this == FILE_WRITE || this == CODE_GENERATION;
  }

  public boolean runsCommands() {
    return this == TERMINAL_COMMAND || this == TEST_EXECUTION;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
