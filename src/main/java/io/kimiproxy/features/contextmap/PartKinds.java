package io.kimiproxy.features.contextmap;

import io.kimiproxy.core.model.Message;
import io.kimiproxy.core.util.ContentHash;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a message is, for the context map and the sanitizer. IDE clients send tool results in two
 * ways: as {@code tool} messages, or (Cline's XML tools) as user messages opening with
 * {@code [read_file for 'x'] Result:}. Attachments are user messages carrying a file or code: a
 * {@code <file_content>}/{@code <file>} block, a fenced block of several lines, or a file path
 * followed by its lines.
 */
public final class PartKinds {
  public static final String SYSTEM = "system";
  public static final String TOOL_DEFINITIONS = "tool_definitions";
  public static final String USER_TEXT = "user_text";
  public static final String ASSISTANT = "assistant";
  public static final String TOOL_OUTPUT = "tool_output";
  public static final String ATTACHMENT = "attachment";

  /** Cline's tool result header: {@code [execute_command for 'npm test'] Result:}. */
  static final Pattern CLINE_TOOL_RESULT = Pattern.compile("^\\s*\\[([A-Za-z_][\\w-]*)(?: for '([^'\\n]*)')?\\] Result:");
  private static final Pattern FILE_TAG = Pattern.compile("<(file_content|file|attached_file|document)[\\s>]");
  private static final Pattern FENCED_BLOCK = Pattern.compile("```[^\\n]*\\n(?:[^\\n]*\\n){4,}?[^\\n]*```");
  private static final Pattern PATH_WITH_CONTENT = Pattern.compile(
      "(?m)^(?:File: |Path: |# )?[\\w.@/\\\\-]*[\\w-]+\\.[A-Za-z0-9]{1,8}:?[ \\t]*\\n(?:[^\\n]*\\n){4,}");

  /**
   * User messages already classified, by content hash: the same history is classified on every
   * turn, and the attachment patterns are costly on long code.
   */
  private static final int KNOWN_ENTRIES = 50_000;
  private static final Map<Long, String> KNOWN = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
      return size() > KNOWN_ENTRIES;
    }
  };

  private PartKinds() {}

  public static String of(Message message) {
    return switch (message.role()) {
      case SYSTEM, DEVELOPER -> SYSTEM;
      case TOOL -> TOOL_OUTPUT;
      case ASSISTANT -> ASSISTANT;
      case USER -> userKind(message.text());
    };
  }

  /** A tool result, whichever way the client sent it. */
  public static boolean isToolResult(Message message) {
    return TOOL_OUTPUT.equals(of(message));
  }

  private static String userKind(String text) {
    long hash = ContentHash.of(text);
    synchronized (KNOWN) {
      String known = KNOWN.get(hash);
      if (known != null) return known;
    }
    String kind = classify(text);
    synchronized (KNOWN) {
      KNOWN.put(hash, kind);
    }
    return kind;
  }

  private static String classify(String text) {
    if (CLINE_TOOL_RESULT.matcher(text).find()) return TOOL_OUTPUT;
    if (FILE_TAG.matcher(text).find() || FENCED_BLOCK.matcher(text).find() || PATH_WITH_CONTENT.matcher(text).find()) {
      return ATTACHMENT;
    }
    return USER_TEXT;
  }
}
