package io.kimiproxy.core.util;

/**
 * A credential. Its {@code toString} never shows the value, so a secret that ends up in a log line,
 * an exception or a record's printed form stays hidden; only {@link #reveal()} gives it out.
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /** A secret, or null when the value is missing or blank. */
  public static Secret ofNullable(String value) {
    return value == null || value.isBlank() ? null : new Secret(value);
  }

  public String reveal() {
    return value;
  }

  public boolean matches(String candidate) {
    return candidate != null && java.security.MessageDigest.isEqual(
        value.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        candidate.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "[secret]";
  }
}
