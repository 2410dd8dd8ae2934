package io.kimiproxy.proxy.wire.responses;

import io.kimiproxy.core.util.BoundedCache;
import io.kimiproxy.core.util.ContentKey;

/**
 * Which provider issued each encrypted reasoning the proxy relayed from a Responses provider. A
 * client sends its reasoning items back with the conversation; only the provider that encrypted one
 * can read it, and any other answers 400, so one goes back only to its issuer and is dropped
 * otherwise (the model then reasons afresh: slower, never wrong). Kept in memory, bounded: after a
 * restart, or for reasoning the proxy never saw, the issuer is unknown and the item is dropped.
 */
public final class ReasoningIssuers {
  private static final long ENTRY_BYTES = 96;
  private final BoundedCache<ContentKey, String> issuers;

  public ReasoningIssuers(long maxBytes) {
    this.issuers = new BoundedCache<>(maxBytes, provider -> ENTRY_BYTES + provider.length());
  }

  void issued(String encrypted, String provider) {
    issuers.put(ContentKey.of(encrypted), provider);
  }

  /** Whether {@code provider} issued this encrypted reasoning. */
  boolean issuedBy(String encrypted, String provider) {
    return provider.equals(issuers.get(ContentKey.of(encrypted)));
  }
}
