package io.kimiproxy.core.model;

import io.kimiproxy.core.json.Span;
import io.kimiproxy.core.util.ContentKey;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;

/**
 * The conversation of a request: each message with its content key and, while it is unchanged,
 * where its bytes lie in the client's body (in Chat Completions JSON). Steps that change messages
 * (redaction, masking, compaction) make a new list; the messages they did not touch keep their
 * bytes, so the request to an OpenAI-format provider splices them through without encoding them
 * again, and per-message results (tokens, redaction) are found again by key on the next turn.
 */
public final class MessageList extends AbstractList<Message> {
  private final Message[] messages;
  private final ContentKey[] keys;
  private final Span[] spans;
  private final byte[] bytes;
  private long weight = -1;

  private MessageList(Message[] messages, ContentKey[] keys, Span[] spans, byte[] bytes) {
    this.messages = messages;
    this.keys = keys;
    this.spans = spans;
    this.bytes = bytes;
  }

  /** Messages decoded from {@code bytes}: message i was at {@code spans[i]}, with key {@code keys[i]}. */
  public static MessageList fromBytes(byte[] bytes, Message[] messages, ContentKey[] keys, Span[] spans) {
    return new MessageList(messages, keys, spans, bytes);
  }

  /** Messages the proxy built, or decoded from another format: no bytes to splice. */
  public static MessageList of(List<Message> messages) {
    Message[] array = messages.toArray(Message[]::new);
    ContentKey[] keys = new ContentKey[array.length];
    for (int i = 0; i < array.length; i++) keys[i] = array[i].key();
    return new MessageList(array, keys, new Span[array.length], null);
  }

  /** Like {@link #of(List)}, with keys already known (e.g. derived from the client's bytes in another format). */
  public static MessageList of(List<Message> messages, List<ContentKey> keys) {
    return new MessageList(messages.toArray(Message[]::new), keys.toArray(ContentKey[]::new),
        new Span[messages.size()], null);
  }

  @Override
  public Message get(int index) {
    return messages[index];
  }

  @Override
  public int size() {
    return messages.length;
  }

  public ContentKey key(int index) {
    return keys[index];
  }

  /** Where message {@code index} lies, unchanged, in {@link #bytes()}; null when it has no such bytes. */
  public Span span(int index) {
    return spans[index];
  }

  /** The client's body the spans point into, or null. */
  public byte[] bytes() {
    return bytes;
  }

  /** The same list with message {@code index} replaced (it loses its bytes). */
  public MessageList with(int index, Message message) {
    if (messages[index] == message) return this;
    Message[] m = messages.clone();
    ContentKey[] k = keys.clone();
    Span[] s = spans.clone();
    m[index] = message;
    k[index] = message.key();
    s[index] = null;
    return new MessageList(m, k, s, bytes);
  }

  /** The same list with messages {@code [from, to)} replaced by {@code inserted}. */
  public MessageList replaced(int from, int to, List<Message> inserted) {
    int n = messages.length - (to - from) + inserted.size();
    Message[] m = new Message[n];
    ContentKey[] k = new ContentKey[n];
    Span[] s = new Span[n];
    System.arraycopy(messages, 0, m, 0, from);
    System.arraycopy(keys, 0, k, 0, from);
    System.arraycopy(spans, 0, s, 0, from);
    for (int i = 0; i < inserted.size(); i++) {
      m[from + i] = inserted.get(i);
      k[from + i] = inserted.get(i).key();
    }
    int tail = messages.length - to;
    System.arraycopy(messages, to, m, from + inserted.size(), tail);
    System.arraycopy(keys, to, k, from + inserted.size(), tail);
    System.arraycopy(spans, to, s, from + inserted.size(), tail);
    return new MessageList(m, k, s, bytes);
  }

  /** A key of the whole list, in order: equal conversations have equal keys. */
  public ContentKey key() {
    ContentKey key = new ContentKey(messages.length, 0x6d7367L);
    for (ContentKey k : keys) key = key.then(k);
    return key;
  }

  /** Keys of messages {@code [0, to)}. */
  public List<ContentKey> keys(int to) {
    return Arrays.asList(Arrays.copyOf(keys, to));
  }

  /** About how many characters of content the list holds: decides whether work on it belongs on a worker. */
  public long weight() {
    if (weight < 0) {
      long total = 0;
      for (Message m : messages) total += m.weight();
      weight = total;
    }
    return weight;
  }
}
