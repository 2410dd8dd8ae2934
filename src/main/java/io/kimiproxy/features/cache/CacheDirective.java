package io.kimiproxy.features.cache;

import java.util.Locale;

/** The client's wish, from the {@code X-Kimi-Cache} header. */
public enum CacheDirective {
  /** No header: deterministic requests use the cache. */
  DEFAULT,
  /** Use the cache even for a request that is not deterministic. */
  ON,
  /** Do not read nor write the cache. */
  OFF,
  /** Ask the provider again and replace the cached answer. */
  REFRESH;

  public static final String HEADER = "X-Kimi-Cache";

  /** The directive, or null for a value that means nothing. */
  public static CacheDirective parse(String header) {
    if (header == null || header.isBlank()) return DEFAULT;
    return switch (header.trim().toLowerCase(Locale.ROOT)) {
      case "on", "force" -> ON;
      case "off", "bypass" -> OFF;
      case "refresh" -> REFRESH;
      default -> null;
    };
  }
}
