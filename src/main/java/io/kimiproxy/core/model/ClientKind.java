package io.kimiproxy.core.model;

import java.util.Locale;

/** Which kind of program sent a request, told from its User-Agent and identifying headers. */
public enum ClientKind {
  CONTINUE("continue"),
  CLINE("cline"),
  CLAUDE_CODE("claude-code"),
  CODEX("codex"),
  OPENAI_SDK("openai-sdk"),
  OTHER("other");

  private final String label;

  ClientKind(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /**
   * Cline and Continue both embed the OpenAI SDK, so their own marks (User-Agent words, the
   * X-Title / HTTP-Referer headers they send to OpenRouter-style servers) are checked first.
   */
  public static ClientKind detect(String userAgent, String title, String referer) {
    String marks = (nz(userAgent) + " " + nz(title) + " " + nz(referer)).toLowerCase(Locale.ROOT);
    if (marks.contains("cline")) return CLINE;
    if (marks.contains("continue")) return CONTINUE;
    String ua = nz(userAgent).toLowerCase(Locale.ROOT);
    // Claude Code sends "claude-cli/2.x (external, sdk-cli)"; Codex "codex_exec/0.x" or "codex_cli_rs/0.x".
    if (ua.startsWith("claude-cli/") || ua.startsWith("claude-code/")) return CLAUDE_CODE;
    if (ua.startsWith("codex_") || ua.startsWith("codex/")) return CODEX;
    if (ua.startsWith("openai/") || ua.startsWith("asyncopenai/") || ua.contains("openai-python")
        || ua.contains("openai-node")) {
      return OPENAI_SDK;
    }
    return OTHER;
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
