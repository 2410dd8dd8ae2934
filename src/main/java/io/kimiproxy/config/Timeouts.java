package io.kimiproxy.config;

/**
 * How long each phase of an upstream call may take, in milliseconds: opening the connection,
 * waiting for the first byte of the answer, the longest silence between two chunks, and the whole call.
 */
public record Timeouts(long connectMs, long firstByteMs, long idleMs, long totalMs) {

  /** Defaults per provider: slow thinkers (Gemini) get longer, the fast-inference hosts shorter. */
  public static long defaultTotalSeconds(String providerName, WireType type) {
    if (type == WireType.GEMINI || providerName.equals("gemini")) return 180;
    if (providerName.equals("groq") || providerName.equals("cerebras")) return 60;
    return 120;
  }
}
