package io.kimiproxy.features.guardrails;

import io.kimiproxy.core.util.SecretScrubber;
import java.util.regex.Pattern;

/**
 * What of a tool call may be stored and shown: a 200-character preview for the history and a
 * one-line notice for a blocked call. Both name files by path and show commands, never file
 * contents, and credentials are replaced before anything is cut: the proxy's own keys and key
 * shapes ({@link SecretScrubber}), tokens of well-known services, values given to secret-sounding
 * names ({@code "password": "..."}, {@code API_KEY=...}, {@code --token ...}) and passwords in URLs.
 * A preview is never sent upstream, so redacting too much costs nothing.
 */
final class Previews {
  static final int PREVIEW_LENGTH = 200;
  private static final int SUBJECT_LENGTH = 120;
  /** Redaction looks this far so that a secret cut by the preview's end is still recognised. */
  private static final int WINDOW = 2_000;
  private static final String MARK = "[redacted]";
  // These expressions backtrack, so they only ever read a text cut to WINDOW characters first:
  // bounded input, bounded time (a few milliseconds at worst).
  private static final Pattern TOKENS = Pattern.compile(
      "-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)"
          + "|(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|(?:AKIA|ASIA)[0-9A-Z]{16}"
          + "|xox[abposr]-[A-Za-z0-9-]{10,}|eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]*"
          + "|sk-ant-[A-Za-z0-9_-]{10,}|hf_[A-Za-z0-9]{20,}|glpat-[A-Za-z0-9_-]{20,}");
  private static final Pattern ASSIGNED = Pattern.compile(
      "(?i)((?:api[_-]?key|secret|token|passw(?:or)?d|pwd|auth(?:orization)?|credentials?|private[_-]?key|access[_-]?key)"
          + "[A-Za-z0-9_-]*[\"']?\\s*[:=]\\s*[\"']?)([^\"'\\s,;&}]+)");
  private static final Pattern OPTION = Pattern.compile("(?i)(--?(?:password|passwd|token|api-key|apikey|secret)[= ]\\s*)(\\S+)");
  private static final Pattern URL_PASSWORD = Pattern.compile("(://[^:/\\s@]+:)([^@\\s/]+)(@)");

  private final SecretScrubber scrubber;

  Previews(SecretScrubber scrubber) {
    this.scrubber = scrubber;
  }

  /** The stored preview: paths and size for file writes, the command line, else the raw arguments. */
  String preview(ClassifiedCall call) {
    String text;
    if (call.type().writesFiles()) {
      text = String.join(", ", call.paths()) + " (" + call.contentBytes() + " bytes)";
    } else if (call.type().runsCommands()) {
      text = call.command();
    } else {
      text = call.arguments();
    }
    return cut(redact(cut(text, WINDOW)), PREVIEW_LENGTH);
  }

  /** "execute_command `rm -rf /` (TERMINAL_COMMAND: matches blocked pattern 'rm -rf')". */
  String notice(ClassifiedCall call, Judgement judgement) {
    String subject = call.type().writesFiles() ? String.join(", ", call.paths())
        : call.type().runsCommands() ? call.command() : "";
    subject = cut(redact(cut(subject, WINDOW)), SUBJECT_LENGTH).replace('`', '\'').replaceAll("\\s+", " ").trim();
    return call.tool() + (subject.isEmpty() ? "" : " `" + subject + "`") + " (" + call.type() + ": " + judgement.reason() + ")";
  }

  String redact(String text) {
    String out = scrubber.scrub(text);
    out = TOKENS.matcher(out).replaceAll(MARK);
    out = ASSIGNED.matcher(out).replaceAll("$1" + MARK);
    out = OPTION.matcher(out).replaceAll("$1" + MARK);
    return URL_PASSWORD.matcher(out).replaceAll("$1" + MARK + "$3");
  }

  private static String cut(String text, int max) {
    if (text == null) return "";
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}
