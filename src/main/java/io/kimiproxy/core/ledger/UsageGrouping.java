package io.kimiproxy.core.ledger;

import java.util.Locale;

/** The ways usage can be grouped in {@code GET /api/usage}. */
public enum UsageGrouping {
  MODEL, PROVIDER, CLIENT, DAY;

  public static UsageGrouping parse(String value) {
    try {
      return value == null || value.isBlank() ? MODEL : valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
