package io.kimiproxy.features.compaction;

import io.kimiproxy.core.model.ToolCall;
import io.kimiproxy.core.model.Message;
import io.kimiproxy.features.contextmap.PartKinds;
import java.util.ArrayList;
import java.util.List;

/**
 * A summary without a model: one line per replaced message (who, what it said or called, the
 * first line of a tool result). Deterministic, so the same history always gives the same text.
 */
final class ExtractiveSummary {
  private static final int LINE_CHARS = 160;
  private static final int HEAD_LINES = 20;
  private static final int TAIL_LINES = 40;

  private ExtractiveSummary() {}

  static String of(List<Message> messages) {
    List<String> lines = new ArrayList<>();
    for (Message m : messages) lines.add(line(m));
    if (lines.size() > HEAD_LINES + TAIL_LINES) {
      int left = lines.size() - HEAD_LINES - TAIL_LINES;
      List<String> cut = new ArrayList<>(lines.subList(0, HEAD_LINES));
      cut.add("- … " + left + " more messages …");
      cut.addAll(lines.subList(lines.size() - TAIL_LINES, lines.size()));
      lines = cut;
    }
    return "Earlier in this conversation (extractive summary, one line per message):\n" + String.join("\n", lines);
  }

  private static String line(Message m) {
    String text = firstLine(m.text());
    StringBuilder out = new StringBuilder("- ");
    out.append(PartKinds.isToolResult(m) ? "tool result" : m.role().wire()).append(": ").append(text);
    for (ToolCall call : m.toolCalls()) {
      out.append(" [called ").append(call.name()).append(' ').append(clip(call.arguments())).append(']');
    }
    return out.toString();
  }

  /** The first non-blank line that is not a tool-result header, clipped. */
  private static String firstLine(String text) {
    for (String line : text.split("\n")) {
      String l = line.strip();
      if (!l.isEmpty() && !l.endsWith("] Result:")) return clip(l);
    }
    return "";
  }

  private static String clip(String text) {
    return text.length() <= LINE_CHARS ? text : text.substring(0, LINE_CHARS) + "…";
  }
}
