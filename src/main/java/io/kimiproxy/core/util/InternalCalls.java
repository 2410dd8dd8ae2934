package io.kimiproxy.core.util;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Calls the proxy makes to itself (a summary written by a model through the proxy's own routing,
 * so it is routed, limited and recorded like any call). They carry a random token made once per
 * process: the guard lets them in without a client key and marks their ledger kind. The token
 * stays in memory; providers never see it (adapters send only their own headers).
 */
public final class InternalCalls {
  public static final String TOKEN_HEADER = "X-Kimi-Proxy-Internal";
  public static final String KIND_HEADER = "X-Kimi-Proxy-Kind";
  /** Where the guard leaves the kind of an accepted internal call for the pipeline. */
  public static final String KIND_KEY = "kimi-proxy.internal-kind";

  private final Secret token;

  private InternalCalls(Secret token) {
    this.token = token;
  }

  public static InternalCalls random() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return new InternalCalls(Secret.ofNullable(HexFormat.of().formatHex(bytes)));
  }

  public String token() {
    return token.reveal();
  }

  public boolean accepts(String presented) {
    return token.matches(presented);
  }
}
