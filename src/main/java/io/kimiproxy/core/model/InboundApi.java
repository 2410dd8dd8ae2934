package io.kimiproxy.core.model;

import java.util.Locale;

/** The API a client spoke: OpenAI Chat Completions, Anthropic Messages or OpenAI Responses. */
public enum InboundApi {
  CHAT, MESSAGES, RESPONSES;

  /** The name the ledger records. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
