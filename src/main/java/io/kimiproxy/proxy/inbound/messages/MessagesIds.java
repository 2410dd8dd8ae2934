package io.kimiproxy.proxy.inbound.messages;

import java.util.UUID;

/** Ids in Anthropic's form for answers that came from elsewhere. */
final class MessagesIds {
  private MessagesIds() {}

  /** {@code msg_…}: the provider's id with Anthropic's prefix, or a new one. */
  static String message(Object providerId) {
    if (!(providerId instanceof String id) || id.isEmpty()) return "msg_" + UUID.randomUUID().toString().replace("-", "");
    return id.startsWith("msg_") ? id : "msg_" + id;
  }
}
