package io.kimiproxy.config;

/** Requests and tokens per minute allowed in one scope; 0 means unlimited. */
public record ScopeLimits(long rpm, long tpm) {
  public static final ScopeLimits NONE = new ScopeLimits(0, 0);

  public boolean any() {
    return rpm > 0 || tpm > 0;
  }
}
