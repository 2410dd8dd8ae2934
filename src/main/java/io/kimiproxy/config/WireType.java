package io.kimiproxy.config;

import java.util.Locale;

/** The wire format a provider speaks; each has one adapter in the proxy floor. */
public enum WireType {
  OPENAI, GEMINI, ANTHROPIC;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static WireType parse(String value) {
    for (WireType t : values()) {
      if (t.label().equals(value)) return t;
    }
    return null;
  }
}
