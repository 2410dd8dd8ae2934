package io.kimiproxy.features.guardrails;

/**
 * What becomes of one tool call.
 *
 * @param blocked true when the call must not reach the client
 * @param notice  for a blocked call, one line telling the user what was blocked and why
 *                (no secrets, no file contents); null otherwise
 */
public record ToolCallVerdict(boolean blocked, String notice) {
  public static final ToolCallVerdict PASS = new ToolCallVerdict(false, null);

  public static ToolCallVerdict block(String notice) {
    return new ToolCallVerdict(true, notice);
  }
}
