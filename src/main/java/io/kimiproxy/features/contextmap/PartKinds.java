package io.kimiproxy.features.contextmap;

import io.kimiproxy.core.model.Message;
import io.kimiproxy.core.util.ContentHash;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a message is, for the context map and the sanitizer. IDE clients send tool results in two
 * ways: as {@code tool} messages, or (Cline's XML tools) as user messages opening with
 * {@code [read_file for 'x'] Result:}. Attachments are user messages carrying a file or code: a
 * {@code <file_content>}/{@code <file>} block, a fenced block of several lines, or a file path
 * followed by its lines. Each shape is found in one linear pass ({@link MessageShapes}).
 */
public final class PartKinds {
  public static final String SYSTEM = "system";
  public static final String TOOL_DEFINITIONS = "tool_definitions";
  public static final String USER_TEXT = "user_text";
  public static final String ASSISTANT = "assistant";
  public static final String TOOL_OUTPUT = "tool_output";
  public static final String ATTACHMENT = "attachment";

  /**
   * User messages already classified, by content hash: the same history is classified on every
   * turn.
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
    if (MessageShapes.startsWithClineToolResult(text)) return TOOL_OUTPUT;
    if (MessageShapes.hasFileTag(text) || MessageShapes.hasFencedBlock(text) || MessageShapes.hasPathWithContent(text)) {
      return ATTACHMENT;
    }
    return USER_TEXT;
  }
}
