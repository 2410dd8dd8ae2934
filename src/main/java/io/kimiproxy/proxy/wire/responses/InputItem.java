package io.kimiproxy.proxy.wire.responses;

import io.kimiproxy.core.model.Message;
import io.kimiproxy.core.model.Thinking;
import io.kimiproxy.core.model.ToolCall;
import java.util.List;

/**
 * One item of a Responses {@code input}, decoded. Several items make one neutral message when they
 * are one assistant turn (its reasoning, its text, its function calls); every other item is a
 * message of its own.
 *
 * @param kind      what the item is
 * @param message   the message it is (a user, system or tool message, an assistant text, or an item the
 *                  neutral model does not represent); null for a function call or reasoning
 * @param call      the function call, for {@link Kind#CALL}
 * @param reasoning the reasoning, for {@link Kind#REASONING}
 * @param bytes     the size of the item in the client's body
 */
public record InputItem(Kind kind, Message message, ToolCall call, List<Thinking> reasoning, long bytes) {

  public enum Kind {
    /** A message from the user, the system or the developer. */
    MESSAGE,
    /** Text the assistant wrote (a message with role assistant). */
    ASSISTANT_TEXT,
    /** A function the assistant called. */
    CALL,
    /** A function call's result. */
    OUTPUT,
    /** The assistant's reasoning (summary text, encrypted content). */
    REASONING,
    /** An item only a provider that speaks Responses can take (hosted tool calls, references...). */
    FOREIGN
  }

  /** Whether the item belongs to an assistant turn (merged with its neighbours of the same turn). */
  public boolean assistant() {
    return kind == Kind.ASSISTANT_TEXT || kind == Kind.CALL || kind == Kind.REASONING;
  }

  /**
   * About how many bytes the item holds, for caches bounded by size: at least its size in the body,
   * since an item kept whole (a foreign one) holds all of it.
   */
  public long weight() {
    long weight = 64;
    if (message != null) weight += message.weight();
    if (call != null) weight += 64 + call.name().length() + call.arguments().length();
    if (reasoning != null) {
      for (Thinking t : reasoning) weight += 48 + length(t.text()) + length(t.data());
    }
    return Math.max(weight, 64 + bytes);
  }

  private static int length(String s) {
    return s == null ? 0 : s.length();
  }
}
