package io.kimiproxy.features.session;

import io.kimiproxy.core.model.MessageContent;
import io.kimiproxy.core.model.ChatRequest;
import io.kimiproxy.core.util.ContentHash;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Names the conversation a request belongs to. IDE clients resend the whole history each turn, so
 * without an {@code X-Session-Id} header a conversation is recognised by what never changes in it:
 * the client, the model, the system prompt and the first user message.
 */
public final class SessionIdentifier {
  public static final String HEADER = "X-Session-Id";
  private static final int MAX_HEADER_LENGTH = 128;

  private SessionIdentifier() {}

  /** The session id: the client's header when usable, else a fingerprint of the conversation. */
  public static String identify(String header, String client, ChatRequest request) {
    if (header != null) {
      String trimmed = header.trim();
      if (!trimmed.isEmpty() && trimmed.length() <= MAX_HEADER_LENGTH && trimmed.chars().allMatch(c -> c > 32 && c < 127)) {
        return trimmed;
      }
    }
    return fingerprint(client, request);
  }

  static String fingerprint(String client, ChatRequest request) {
    StringBuilder system = new StringBuilder();
    String firstUser = "";
    JsonArray messages = request.messages();
    for (Object item : messages) {
      JsonObject message = (JsonObject) item;
      String role = message.getString("role");
      if (role.equals("system") || role.equals("developer")) {
        system.append(MessageContent.text(message.getValue("content"))).append('\n');
      } else if (role.equals("user")) {
        firstUser = MessageContent.text(message.getValue("content"));
        break;
      }
    }
    String basis = client + '\u0000' + request.model() + '\u0000' + system + '\u0000' + firstUser;
    return "s-" + ContentHash.sha256Hex(basis).substring(0, 16);
  }
}
