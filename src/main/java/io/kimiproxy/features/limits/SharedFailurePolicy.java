package io.kimiproxy.features.limits;

import io.kimiproxy.core.error.ErrorType;
import io.kimiproxy.core.error.ProxyError;
import io.vertx.core.Future;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * What a limit or a budget does when the team's Redis cannot tell ({@code [shared] on_failure}):
 * "open" lets the request through without the shared check (the operator is told once, by an
 * alert, when Redis goes away), "closed" refuses it with 503 {@code shared_state_unavailable}.
 * Either way the answer is immediate: a request never waits on Redis beyond its call's deadline.
 */
public final class SharedFailurePolicy {
  private static final Logger LOG = Logger.getLogger(SharedFailurePolicy.class.getName());

  private final boolean open;

  public SharedFailurePolicy(boolean open) {
    this.open = open;
  }

  public boolean open() {
    return open;
  }

  /** The outcome of a check that could not be made: {@code unchecked} when open, a refusal when closed. */
  <T> Future<T> unchecked(String what, Throwable failure, Supplier<T> unchecked) {
    LOG.fine(what + " unchecked: " + failure);
    if (open) return Future.succeededFuture(unchecked.get());
    return Future.failedFuture(unreachable(", and [shared] on_failure = \"closed\" refuses requests until it is back."));
  }

  /** 503 {@code shared_state_unavailable}: what Redis would have answered cannot be known now. */
  static ProxyError unreachable(String consequence) {
    return ProxyError.of(503, ErrorType.SERVER, "shared_state_unavailable",
        "The team's shared state (Redis) is unreachable" + consequence).withRetryAfter("1");
  }
}
