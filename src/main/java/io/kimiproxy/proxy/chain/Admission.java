package io.kimiproxy.proxy.chain;

import java.util.function.UnaryOperator;

/** A call a step let through; told what the provider said of itself, then settled once the call is over. */
public interface Admission {
  Admission NONE = tokens -> { };

  /** @param tokens what the call used (0 when it failed) */
  void settle(long tokens);

  /** The provider's answer headers (its own rate-limit state, say), on any answer. */
  default void answered(UnaryOperator<String> header) {}
}
