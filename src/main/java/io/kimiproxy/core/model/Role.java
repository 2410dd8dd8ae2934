package io.kimiproxy.core.model;

import java.util.Locale;

/** Who wrote a message. {@code developer} is OpenAI's newer name for a system message. */
public enum Role {
  SYSTEM, DEVELOPER, USER, ASSISTANT, TOOL;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role of a wire name, or null when it is not one ({@code function} is the legacy name of tool). */
  public static Role of(String name) {
    return switch (name) {
      case "system" -> SYSTEM;
      case "developer" -> DEVELOPER;
      case "user" -> USER;
      case "assistant" -> ASSISTANT;
      case "tool", "function" -> TOOL;
      default -> null;
    };
  }

  /** System and developer messages: the instructions, which no provider counts as conversation. */
  public boolean instructs() {
    return this == SYSTEM || this == DEVELOPER;
  }
}
