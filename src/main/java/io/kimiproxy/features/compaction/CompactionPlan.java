package io.kimiproxy.features.compaction;

import java.util.List;
import io.kimiproxy.core.model.Role;
import io.kimiproxy.core.model.Message;
import io.kimiproxy.features.contextmap.PartKinds;

/**
 * Which messages a compaction replaces: {@code [start, end)} of the history as it is sent. The
 * system messages and the first user message (the task) come before {@code start}; the last K
 * exchanges (each an assistant message with what answers it, plus the user's words before it)
 * come from {@code end}. A tool result is never separated from its call: the cut is made on an
 * assistant message or a user's own words, never on a tool result.
 */
record CompactionPlan(int start, int end) {

  /** The plan, or null when fewer than two messages lie between what must stay. */
  static CompactionPlan of(List<Message> messages, int keepLastExchanges) {
    int firstUser = -1;
    for (int i = 0; i < messages.size() && firstUser < 0; i++) {
      if (messages.get(i).role() == Role.USER) firstUser = i;
    }
    if (firstUser < 0) return null;
    int end = -1;
    int assistants = 0;
    for (int i = messages.size() - 1; i > firstUser; i--) {
      if (messages.get(i).role() == Role.ASSISTANT && ++assistants == keepLastExchanges) {
        end = i;
        break;
      }
    }
    if (end < 0) return null;
    while (end - 1 > firstUser && isUsersOwnWords(messages.get(end - 1))) end--;
    int start = firstUser + 1;
    for (int i = start; i < end; i++) {
      if (messages.get(i).role().instructs()) start = i + 1;
    }
    while (start < end && messages.get(start).role() == Role.TOOL) start++;
    return end - start >= 2 ? new CompactionPlan(start, end) : null;
  }

  int size() {
    return end - start;
  }

  private static boolean isUsersOwnWords(Message message) {
    return message.role() == Role.USER && !PartKinds.isToolResult(message);
  }
}
