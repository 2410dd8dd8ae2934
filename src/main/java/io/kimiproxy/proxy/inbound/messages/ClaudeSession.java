package io.kimiproxy.proxy.inbound.messages;

import io.vertx.core.json.JsonObject;

/**
 * The conversation id Claude Code puts in {@code metadata.user_id}: a JSON text with a
 * {@code session_id} since 2.1, {@code user_<hash>_account_<uuid>_session_<uuid>} before.
 */
final class ClaudeSession {
  private static final String MARK = "_session_";

  private ClaudeSession() {}

  /** The session id in a metadata object, or null when it names none. */
  static String of(JsonObject metadata) {
    if (metadata == null || !(metadata.getValue("user_id") instanceof String userId)) return null;
    if (userId.startsWith("{")) {
      try {
        return new JsonObject(userId).getValue("session_id") instanceof String id && !id.isEmpty() ? id : null;
      } catch (RuntimeException e) {
        return null;
      }
    }
    int mark = userId.lastIndexOf(MARK);
    return mark < 0 || mark + MARK.length() == userId.length() ? null : userId.substring(mark + MARK.length());
  }
}
