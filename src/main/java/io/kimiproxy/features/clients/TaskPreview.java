package io.kimiproxy.features.clients;

import io.kimiproxy.core.model.Role;
import io.kimiproxy.core.model.MessageList;
import io.kimiproxy.core.model.Message;
import io.kimiproxy.core.model.Part;
import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.core.util.SecretScrubber;
import java.util.regex.Pattern;

/**
 * What a client is working on, shown as the first words of its latest user message. Only this
 * preview is kept (in memory), never the message; credentials are redacted before it is cut, so a
 * key cannot survive half-cut.
 */
final class TaskPreview {
  static final int LENGTH = 120;
  /**
   * Redaction reads this much of a message: enough for a 120-character preview once blanks are
   * folded, and small, since it runs on every request.
   */
  private static final int READ = 400;
  private static final String MARK = "[redacted]";
  private static final String REMINDER = "<system-reminder>";
  // Both expressions backtrack, so they only ever read the READ characters kept of a message:
  // bounded input, bounded time.
  // Key shapes beyond the provider keys SecretScrubber knows: GitHub, AWS, Slack, private keys,
  // "password = ..." assignments, and long opaque tokens that mix letters and digits.
  private static final Pattern MORE_SHAPES = Pattern.compile(
      "(gh[pousr]_[A-Za-z0-9]{16,}|github_pat_[A-Za-z0-9_]{16,}|AKIA[0-9A-Z]{16}|xox[abprs]-[A-Za-z0-9-]{10,}"
          + "|-----BEGIN [A-Z ]*PRIVATE KEY-----"
          + "|(?=[A-Za-z_-]*\\d)(?=[0-9_-]*[A-Za-z])[A-Za-z0-9_-]{32,})");
  private static final Pattern ASSIGNED = Pattern.compile(
      "(?i)\\b(api[_-]?key|secret|token|password|passwd|pwd)(\\s*[:=]\\s*)(\"[^\"]*\"|'[^']*'|\\S+)");

  private TaskPreview() {}

  /**
   * The start of the request's latest user message with text (what a preview is made of, at most
   * a little over {@link #READ} characters however long the message), or null when it has none.
   */
  static String head(ChatRequest request) {
    MessageList messages = request.messages();
    for (int i = messages.size() - 1; i >= 0; i--) {
      Message message = messages.get(i);
      if (message.role() != Role.USER) continue;
      String text = usersWords(message);
      if (!text.isBlank()) return text.length() <= READ ? text : cutAtSpace(text, READ);
    }
    return null;
  }

  /** The message's first words, without the context blocks Claude Code puts in the user's turn. */
  private static String usersWords(Message message) {
    StringBuilder out = new StringBuilder();
    for (Part part : message.content()) {
      if (out.length() > READ) break;
      if (part instanceof Part.Text t && !t.text().stripLeading().startsWith(REMINDER)) {
        if (out.length() > 0) out.append('\n');
        out.append(t.text(), 0, Math.min(t.text().length(), READ + 1));
      }
    }
    return out.toString();
  }

  /** The preview of a text's {@link #READ} first characters: blanks folded, credentials redacted, cut to {@link #LENGTH}. */
  static String preview(String text, SecretScrubber scrubber) {
    String head = text.length() <= READ ? text : cutAtSpace(text, READ);
    String clean = head.replaceAll("\\s+", " ").trim();
    clean = scrubber.scrub(clean);
    clean = ASSIGNED.matcher(clean).replaceAll("$1$2" + MARK);
    clean = MORE_SHAPES.matcher(clean).replaceAll(MARK);
    return clean.length() <= LENGTH ? clean : clean.substring(0, LENGTH - 1).stripTrailing() + "…";
  }

  /** Cut at a blank so that no token (a key among them) is split at the edge of what is read. */
  private static String cutAtSpace(String text, int max) {
    for (int i = max; i > max / 2; i--) {
      if (Character.isWhitespace(text.charAt(i))) return text.substring(0, i);
    }
    return text.substring(0, max);
  }
}
