package io.kimiproxy.features.session;

import io.kimiproxy.core.model.Role;
import io.kimiproxy.core.model.Message;
import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.core.util.ContentKey;

/**
 * Names the conversation a request belongs to. IDE clients resend the whole history each turn, so
 * without an {@code X-Session-Id} header a conversation is recognised by what never changes in it:
 * the client, the model, the system prompt and the first user message.
 */
public final class SessionIdentifier {
  public static final String HEADER = "X-Session-Id";
  private static final int MAX_HEADER_LENGTH = 128;

  private SessionIdentifier() {}

  /**
   * The session id: the first usable of the given ids (the {@code X-Session-Id} header, then the
   * conversation ids clients send of their own accord), else a fingerprint of the conversation.
   */
  public static String identify(String client, ChatRequest request, String... ids) {
    for (String id : ids == null ? new String[] {null} : ids) {
      String usable = usable(id);
      if (usable != null) return usable;
    }
    return fingerprint(client, request);
  }

  /** Ids travel in headers and the ledger: 1 to 128 printable ASCII characters without spaces. */
  private static String usable(String id) {
    if (id == null) return null;
    String trimmed = id.trim();
    boolean ok = !trimmed.isEmpty() && trimmed.length() <= MAX_HEADER_LENGTH && trimmed.chars().allMatch(c -> c > 32 && c < 127);
    return ok ? trimmed : null;
  }

  /**
   * A 128-bit content key, not a cryptographic digest: it runs on every request without a header,
   * over a system prompt that can be tens of kilobytes, and only names a conversation.
   */
  static String fingerprint(String client, ChatRequest request) {
    ContentKey key = ContentKey.of(client).then(ContentKey.of(request.model()));
    for (Message message : request.messages()) {
      if (message.role().instructs()) {
        key = key.then(ContentKey.of(message.text()));
      } else if (message.role() == Role.USER) {
        key = key.then(0x75736572L).then(ContentKey.of(message.text()));
        break;
      }
    }
    return "s-" + key.hex().substring(0, 16);
  }
}
