package io.kimiproxy.proxy.inbound.responses;

import io.kimiproxy.core.json.Span;
import io.kimiproxy.core.model.ContentForm;
import io.kimiproxy.core.model.Message;
import io.kimiproxy.core.model.Part;
import io.kimiproxy.core.model.Role;
import io.kimiproxy.core.model.Thinking;
import io.kimiproxy.core.model.ToolCall;
import io.kimiproxy.core.util.BoundedCache;
import io.kimiproxy.core.util.ContentKey;
import io.kimiproxy.proxy.wire.responses.InputItem;
import java.util.ArrayList;
import java.util.List;

/**
 * Input items into neutral messages. A Responses conversation lists an assistant turn as separate
 * items (reasoning, then text, then each function call); Chat Completions and every provider
 * format say it as one assistant message with its reasoning and tool calls, which the tool results
 * that follow answer. So consecutive items of one assistant turn make one message, and every other
 * item is one; a reasoning item or an assistant text after the turn's text or calls starts the next
 * turn. Each message keeps the bytes of its items (from the first's start to the last's end) and a
 * key made of theirs; the assistant turns are kept by that key for the next turn (every other message
 * is its item's, kept with the decoded item).
 */
final class InputTurns {
  private static final long TURN_SALT = 0x7475726eL;
  private final BoundedCache<ContentKey, Message> messages;

  InputTurns(long cacheBytes) {
    this.messages = new BoundedCache<>(cacheBytes, Message::weight);
  }

  /** A message of one text (the instructions, a string input), kept by {@code key}. */
  Message text(ContentKey key, Role role, String text) {
    return messages.get(key, k -> Message.text(role, text));
  }

  /** Appends the messages the items make, with their keys and the spans of their items' bytes. */
  void group(List<InputItem> items, List<ContentKey> itemKeys, List<Span> spans, List<Message> out,
             List<ContentKey> keys, List<Span> places) {
    int from = 0;
    while (from < items.size()) {
      int to = from + 1;
      if (items.get(from).assistant()) {
        while (to < items.size() && continuesTurn(items, from, to)) to++;
      }
      List<InputItem> turn = items.subList(from, to);
      ContentKey key = to - from == 1 ? itemKeys.get(from) : key(itemKeys.subList(from, to));
      // A lone item is its own message, kept with the item; an assistant turn is kept here.
      out.add(turn.size() == 1 && !turn.get(0).assistant() ? turn.get(0).message() : messages.get(key, k -> assistant(turn)));
      keys.add(key);
      places.add(new Span(spans.get(from).start(), spans.get(to - 1).end()));
      from = to;
    }
  }

  /**
   * Whether item {@code next} belongs to the assistant turn that starts at {@code first}: function
   * calls always do; reasoning and text only while the turn has said nothing yet, or (text) after its
   * reasoning alone.
   */
  private static boolean continuesTurn(List<InputItem> items, int first, int next) {
    InputItem item = items.get(next);
    if (!item.assistant()) return false;
    if (item.kind() == InputItem.Kind.CALL) return true;
    boolean textOrCall = false;
    for (int i = first; i < next; i++) textOrCall |= items.get(i).kind() != InputItem.Kind.REASONING;
    return !textOrCall;
  }

  private static Message assistant(List<InputItem> turn) {
    List<Thinking> reasoning = new ArrayList<>();
    List<Part> parts = new ArrayList<>();
    List<ToolCall> calls = new ArrayList<>();
    for (InputItem item : turn) {
      switch (item.kind()) {
        case REASONING -> reasoning.addAll(item.reasoning());
        case ASSISTANT_TEXT -> parts.addAll(item.message().content());
        case CALL -> calls.add(item.call());
        default -> throw new IllegalStateException("not an assistant item: " + item.kind());
      }
    }
    if (parts.isEmpty() && calls.isEmpty()) {
      parts.add(new Part.Text("")); // reasoning alone: an assistant turn must say something in every format
    }
    ContentForm form = parts.isEmpty() ? ContentForm.NONE
        : parts.size() == 1 && parts.get(0) instanceof Part.Text ? ContentForm.STRING : ContentForm.PARTS;
    return new Message(Role.ASSISTANT, parts, form, calls, null, null, reasoning, null);
  }

  private static ContentKey key(List<ContentKey> itemKeys) {
    ContentKey key = new ContentKey(itemKeys.size(), TURN_SALT);
    for (ContentKey k : itemKeys) key = key.then(k);
    return key;
  }
}
